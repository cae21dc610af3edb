import React, { useState } from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { createDataFrame, DataSourceInstanceSettings, LoadingState, PanelData, PluginType } from '@grafana/data';
import { defaultFlowQuery, FilterGroup } from '../../shared/flowQuery';
import { FakeBackendSrv, fetchError } from '../testing/fakeBackendSrv';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { FlowAtlasOptions, FlowQuery } from '../types';
import { testIds } from './testIds';

const backend = new FakeBackendSrv();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => backend,
}));

import { FlowAtlasDataSource } from '../datasource';
import { QueryEditor } from './QueryEditor';

const settings = {
  id: 1,
  uid: 'flowatlas',
  type: 'flowatlas-flows-datasource',
  name: 'FlowAtlas',
  url: '/api/datasources/proxy/uid/flowatlas',
  access: 'proxy',
  readOnly: false,
  jsonData: {},
  meta: { id: 'flowatlas-flows-datasource', name: 'FlowAtlas', type: PluginType.datasource, module: '', baseUrl: '', info: {} },
} as unknown as DataSourceInstanceSettings<FlowAtlasOptions>;

backend.on('/api/v1/dimensions', () => [
  { name: 'src_ip', label: 'Source IP', type: 'ip', category: 'addresses' },
  { name: 'dst_ip', label: 'Destination IP', type: 'ip', category: 'addresses' },
  { name: 'dst_port', label: 'Destination port', type: 'number', category: 'ports & apps' },
  { name: 'src_country', label: 'Source country', type: 'string', category: 'geography' },
  { name: 'action', label: 'Action', type: 'string', category: 'firewall' },
]);
backend.on('/values', (options) => ({ values: options.url.includes('src_country') ? ['CN', 'RU', 'NL'] : ['22', '3389'] }));

/** Hosts the editor like Grafana does: it owns the query and re-renders the editor on change. */
function Harness({ initial, onQuery, onRun, data }: { initial: Partial<FlowQuery>; onQuery: (q: FlowQuery) => void; onRun: () => void; data?: PanelData }) {
  const [query, setQuery] = useState<FlowQuery>({ refId: 'A', ...initial } as FlowQuery);
  const ds = React.useMemo(() => new FlowAtlasDataSource(settings, new FakeTemplateSrv()), []);
  return (
    <QueryEditor
      query={query}
      datasource={ds}
      onChange={(q) => {
        setQuery(q);
        onQuery(q);
      }}
      onRunQuery={onRun}
      data={data}
    />
  );
}

async function setup(initial: Partial<FlowQuery> = defaultFlowQuery(), data?: PanelData) {
  const queries: FlowQuery[] = [];
  const onRun = jest.fn();
  const user = userEvent.setup({ delay: null, advanceTimers: jest.advanceTimersByTime, pointerEventsCheck: PointerEventsCheckLevel.Never });
  render(<Harness initial={initial} onQuery={(q) => queries.push(q)} onRun={onRun} data={data} />);
  // let the dimensions request resolve before interacting, as a user would
  await act(async () => {});
  return { user, queries, onRun, last: () => queries[queries.length - 1] };
}

async function choose(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  const input = screen.getByLabelText(label);
  await user.click(input);
  await user.type(input, text);
  await user.keyboard('{Enter}');
}

beforeEach(() => {
  jest.useFakeTimers();
  backend.requests.length = 0;
});

afterEach(() => {
  jest.useRealTimers();
});

describe('QueryEditor', () => {
  it('builds a nested filter by clicking: rule, group with OR, exclude, list values', async () => {
    const { user, last, onRun } = await setup();

    await user.click(screen.getByTestId(testIds.filter.addRule));
    await choose(user, 'Rule 1 dimension', 'dst_port');
    await user.type(screen.getAllByLabelText('Filter value')[0], '22{Enter}');

    await user.click(screen.getAllByTestId(testIds.filter.addGroup)[0]);
    // the new group starts as OR under an AND root, with one empty rule
    await choose(user, 'Rule 2.1 dimension', 'src_country');
    await choose(user, 'Rule 2.1 operator', 'not in');
    const valueInputs = screen.getAllByLabelText('Filter value');
    await user.type(valueInputs[1], 'CN{Enter}RU{Enter}');
    await user.click(within(screen.getAllByTestId(testIds.filter.group)[1]).getAllByRole('radio', { name: 'Exclude' })[0]);

    const expected: FilterGroup = {
      op: 'and',
      rules: [
        { dimension: 'dst_port', op: '=', values: ['22'] },
        { op: 'or', not: true, rules: [{ dimension: 'src_country', op: 'not_in', values: ['CN', 'RU'] }] },
      ],
    };
    expect(last().filter).toEqual(expected);
    expect(screen.getAllByTestId(testIds.filter.ruleValueChip).map((c) => c.textContent)).toEqual(['CN', 'RU']);
    expect(onRun).toHaveBeenCalled();
  });

  it('suggests values from the proxy after a debounce, not per keystroke', async () => {
    const { user } = await setup({ ...defaultFlowQuery(), filter: { op: 'and', rules: [{ dimension: 'src_country', op: '=', values: [] }] } });
    const input = screen.getByLabelText('Filter value');
    await user.type(input, 'CN');
    const valueCalls = () => backend.requests.filter((r) => r.options.url.includes('/values'));
    expect(valueCalls()).toHaveLength(0);
    await act(async () => {
      jest.advanceTimersByTime(300);
    });
    await waitFor(() => expect(valueCalls()).toHaveLength(1));
    expect(valueCalls()[0].options.url).toContain('/api/v1/dimensions/src_country/values?prefix=CN&limit=20');
    const datalist = () => document.getElementById(input.getAttribute('list')!)!;
    await waitFor(() => expect(datalist().querySelectorAll('option')).toHaveLength(3));
    expect([...datalist().querySelectorAll('option')].map((o) => o.getAttribute('value'))).toEqual(['CN', 'RU', 'NL']);
  });

  it('flags an invalid CIDR inline and offers the operators of the dimension type', async () => {
    const { user } = await setup({ ...defaultFlowQuery(), filter: { op: 'and', rules: [{ dimension: 'src_ip', op: 'cidr', values: ['10.0.0/8'] }] } });
    expect(screen.getByTestId(testIds.filter.ruleProblem)).toHaveTextContent('"10.0.0/8" is not a CIDR network');
    // an address dimension offers cidr, not like
    await user.click(screen.getByLabelText('Rule 1 operator'));
    expect(screen.getByText('not cidr')).toBeInTheDocument();
    expect(screen.queryByText('not like')).not.toBeInTheDocument();
  });

  it('switches modes: aggregation only in table mode, level only in topology mode', async () => {
    const { user, last } = await setup();
    expect(screen.queryByLabelText('Aggregation')).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Table' }));
    expect(last().mode).toBe('table');
    expect(screen.getByLabelText('Aggregation')).toBeInTheDocument();
    await choose(user, 'Aggregation', 'p95');
    expect(last().aggregation).toBe('p95');

    await user.click(screen.getByRole('radio', { name: 'Topology' }));
    expect(last().mode).toBe('topology');
    expect(screen.queryByLabelText('Aggregation')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Bidirectional')).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Country' }));
    expect(last().level).toBe('country');

    await user.click(screen.getByRole('radio', { name: 'Time series' }));
    await user.click(screen.getByLabelText('Bidirectional'));
    expect(last()).toMatchObject({ mode: 'timeseries', bidirectional: true });
    await choose(user, 'Metric', 'Packets/s');
    expect(last().metric).toBe('packets_per_second');
  });

  it('offers only metrics the mode accepts and falls back to bytes for topology', async () => {
    const { user, last } = await setup({ ...defaultFlowQuery(), metric: 'unique_dst_ports' });
    await user.click(screen.getByRole('radio', { name: 'Topology' }));
    expect(last()).toMatchObject({ mode: 'topology', metric: 'bytes' });
    await user.click(screen.getByLabelText('Metric'));
    expect(screen.queryByText('Unique destination ports')).not.toBeInTheDocument();
    expect(screen.getByText('Packets/s')).toBeInTheDocument();
  });

  it('picks dimensions grouped by category, in the order chosen', async () => {
    const { user, last } = await setup({ ...defaultFlowQuery(), dimensions: [] });
    await user.click(screen.getByLabelText('Group by dimensions'));
    expect(await screen.findByText('Addresses')).toBeInTheDocument();
    expect(screen.getByText('Geography')).toBeInTheDocument();
    await user.click(screen.getByText('Source country'));
    await choose(user, 'Group by dimensions', 'Source IP');
    expect(last().dimensions).toEqual(['src_country', 'src_ip']);
  });

  it('text mode starts from the tree, underlines the parse error, and switching back keeps the tree', async () => {
    backend.on('/api/v1/filter/validate', (options) => {
      const text = (options.data as { filterText: string }).filterText;
      if (text.includes('==')) {
        throw fetchError(400, { statusCode: 400, error: 'Bad Request', message: "expected a value after '='", field: 'filterText', line: 1, column: 10 });
      }
      return { ok: true, tree: { op: 'and', rules: [] } };
    });
    const tree: FilterGroup = { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }] };
    const { user, last } = await setup({ ...defaultFlowQuery(), filter: tree });

    await user.click(screen.getByRole('radio', { name: 'Text' }));
    const textarea = screen.getByLabelText('Filter text') as HTMLTextAreaElement;
    expect(textarea.value).toBe('dst_port = 22');

    await user.clear(textarea);
    await user.type(textarea, 'dst_port == 22');
    await act(async () => {
      jest.advanceTimersByTime(500);
    });
    const mark = await screen.findByTestId('flowatlas-qe-filter-text-error-mark');
    expect(mark).toHaveTextContent('==');
    expect(screen.getByTestId(testIds.queryEditor.filterTextError)).toHaveTextContent("expected a value after '=' (field filterText, line 1, column 10)");
    expect(last()).toMatchObject({ filterMode: 'text', filterText: 'dst_port == 22' });

    await user.click(screen.getByRole('radio', { name: 'Builder' }));
    expect(last()).toMatchObject({ filterMode: 'builder', filter: tree });
    expect(screen.getAllByTestId(testIds.filter.rule)).toHaveLength(1);
  });

  it('Show SQL shows what the proxy ran and which table answered', async () => {
    const frame = createDataFrame({
      refId: 'A',
      fields: [],
      meta: { executedQueryString: 'SELECT src_ip, sum(flows) FROM flows_1h …', custom: { table: '1h', reason: 'range 21 d, bucket 1 h' } },
    });
    const data = { series: [frame], state: LoadingState.Done, timeRange: {} } as unknown as PanelData;
    const { user } = await setup(defaultFlowQuery(), data);
    expect(screen.queryByTestId(testIds.queryEditor.sql)).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Show SQL'));
    const sql = screen.getByTestId(testIds.queryEditor.sql);
    expect(sql).toHaveTextContent('Answered from 1h: range 21 d, bucket 1 h');
    expect(sql).toHaveTextContent('SELECT src_ip, sum(flows) FROM flows_1h …');
  });

  it('migrates an old saved query once on load', async () => {
    const { last } = await setup({ metric: 'flows', mode: 'table', dimensions: ['src_ip'], filters: [{ dimension: 'dst_port', op: '=', values: ['22'] }] } as never);
    await waitFor(() => expect(last()).toBeDefined());
    expect(last()).toMatchObject({ version: 2, filter: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }] } });
  });
});
