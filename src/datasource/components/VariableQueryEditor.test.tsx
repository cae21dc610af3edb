import React, { useState } from 'react';
import { act, render, screen } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { DataQueryRequest, dateTime } from '@grafana/data';
import { lastValueFrom, map, Subject } from 'rxjs';
import { FakeBackendSrv, ok } from '../testing/fakeBackendSrv';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { instanceSettings } from '../testing/instanceSettings';
import { FlowVariableTarget } from '../types';
import { testIds } from './testIds';

const backend = new FakeBackendSrv();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => backend,
}));

import { FlowAtlasDataSource } from '../datasource';
import { VariableQueryEditor } from './VariableQueryEditor';

backend.on('/api/v1/dimensions', () => [
  { name: 'src_ip', label: 'Source IP', type: 'ip', category: 'addresses' },
  { name: 'dst_ip', label: 'Destination IP', type: 'ip', category: 'addresses' },
  { name: 'dst_port', label: 'Destination port', type: 'number', category: 'ports & apps' },
]);
backend.on('/api/v1/filter/validate', (options) => {
  const text = (options.data as { filterText: string }).filterText;
  return text.includes('==')
    ? { ok: false, message: 'filterText line 1 column 11: expected value, found "="', field: 'filterText', line: 1, column: 11 }
    : { ok: true, tree: { op: 'and', rules: [] } };
});
backend.on('/api/v1/query', () => ({
  frames: [{ fields: [{ name: 'src_ip', type: 'string', values: ['203.0.113.7', '198.51.100.9'] }, { name: 'flows', type: 'number', values: [9, 4] }] }],
}));

const settings = instanceSettings();

/** Hosts the editor as Grafana's variable editor does: it keeps what onChange saved. */
function setup(initial: FlowVariableTarget | string) {
  const saved: FlowVariableTarget[] = [];
  const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv({ port: '22' }));
  function Host() {
    const [query, setQuery] = useState(initial);
    return (
      <VariableQueryEditor
        datasource={ds}
        query={query as FlowVariableTarget}
        onRunQuery={() => {}}
        onChange={(q) => {
          saved.push(q);
          setQuery(q);
        }}
      />
    );
  }
  render(<Host />);
  const user = userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
  return { user, ds, last: () => saved[saved.length - 1], saved };
}

async function choose(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  await user.click(screen.getByLabelText(label));
  await user.type(screen.getByLabelText(label), text);
  await user.keyboard('{Enter}');
}

beforeEach(() => {
  backend.requests.length = 0;
});

describe('the variable query editor', () => {
  it('opens a variable saved in the string form and saves the typed query when a field changes', async () => {
    const { user, last, saved } = setup('src_ip by bytes where dst_port = $port');
    await act(async () => {});
    expect(screen.getByText('Source IP')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.variableEditor.filterText)).toHaveValue('dst_port = $port');
    expect(screen.getByTestId(testIds.variableEditor.definition)).toHaveTextContent('src_ip by bytes where dst_port = $port');
    expect(saved).toHaveLength(0);

    await choose(user, 'Variable dimension', 'Destination IP');
    expect(last()).toEqual({ refId: 'FlowAtlasVariable', dimension: 'dst_ip', metric: 'bytes', filterText: 'dst_port = $port' });
    await choose(user, 'Variable ranking metric', 'Not ranked');
    expect(last()).toEqual({ refId: 'FlowAtlasVariable', dimension: 'dst_ip', filterText: 'dst_port = $port' });
    expect(screen.getByTestId(testIds.variableEditor.definition)).toHaveTextContent('dst_ip where dst_port = $port');
  });

  it('checks the filter with the engine when it is committed, says what is wrong, and saves it', async () => {
    const { user, last } = setup({ refId: 'V', dimension: 'src_ip' });
    await act(async () => {});
    const filter = screen.getByTestId(testIds.variableEditor.filterText);
    await user.type(filter, 'dst_port == 22');
    await user.keyboard('{Enter}');
    expect(await screen.findByTestId(testIds.variableEditor.filterError)).toHaveTextContent('expected value, found "="');
    expect(last()).toEqual({ refId: 'V', dimension: 'src_ip', filterText: 'dst_port == 22' });

    await user.clear(filter);
    await user.type(filter, 'dst_port = 22');
    await user.click(document.body);
    await act(async () => {});
    expect(screen.queryByTestId(testIds.variableEditor.filterError)).not.toBeInTheDocument();
    expect(last()).toEqual({ refId: 'V', dimension: 'src_ip', filterText: 'dst_port = 22' });
    // the engine saw the text as the run will, with the variable's value in it
    const checked = backend.requests.filter((r) => r.options.url.endsWith('/api/v1/filter/validate')).map((r) => r.options.data);
    expect(checked).toEqual([{ filterText: 'dst_port == 22' }, { filterText: 'dst_port = 22' }]);
  });
});

describe('query variables through the variables API', () => {
  const range = { from: dateTime(1_700_000_000_000), to: dateTime(1_700_003_600_000), raw: { from: 'now-1h', to: 'now' } };
  const request = (target: FlowVariableTarget | string) =>
    ({ targets: [target], range, scopedVars: {}, requestId: 'v', interval: '1m', intervalMs: 60_000, timezone: 'utc', app: 'dashboard', startTime: 0 }) as unknown as DataQueryRequest<FlowVariableTarget>;
  const sentBodies = () => backend.requests.filter((r) => r.options.url.endsWith('/api/v1/query')).map((r) => r.options.data);

  it('the editor and the string form list the same values through the same query', async () => {
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv({ port: '22' }));
    const variables = ds.variables as unknown as { query: (r: DataQueryRequest<FlowVariableTarget>) => ReturnType<FlowAtlasDataSource['query']> };
    const fromObject = await lastValueFrom(variables.query(request({ refId: 'V', dimension: 'src_ip', metric: 'bytes', filterText: 'dst_port = $port' })));
    const fromString = await lastValueFrom(variables.query(request('src_ip by bytes where dst_port = $port')));
    expect(fromObject.data).toEqual([
      { text: '203.0.113.7', value: '203.0.113.7' },
      { text: '198.51.100.9', value: '198.51.100.9' },
    ]);
    expect(fromString.data).toEqual(fromObject.data);
    const [a, b] = sentBodies();
    expect(a).toMatchObject({ mode: 'table', metric: 'bytes', dimensions: ['src_ip'], filterText: "dst_port = '22'", from: 1_700_000_000_000, to: 1_700_003_600_000 });
    expect(b).toEqual(a);
  });
});

describe('the variable query editor while the engine checks a filter', () => {
  it('keeps a field changed before the check answers: the filter is saved into the query as it is then', async () => {
    const held = new Subject<unknown>();
    backend.on('/api/v1/filter/validate', () => held.pipe(map((data) => ok(data))));
    const { user, last } = setup({ refId: 'V', dimension: 'src_ip' });
    await act(async () => {});
    await user.type(screen.getByTestId(testIds.variableEditor.filterText), 'dst_port = 22');
    // leaving the filter for the ranking starts the check; the ranking is picked while it runs
    await choose(user, 'Variable ranking metric', 'Bytes');
    expect(last()).toEqual({ refId: 'V', dimension: 'src_ip', metric: 'bytes' });
    await act(async () => {
      held.next({ ok: true, tree: { op: 'and', rules: [] } });
      held.complete();
    });
    expect(last()).toEqual({ refId: 'V', dimension: 'src_ip', metric: 'bytes', filterText: 'dst_port = 22' });
  });
});
