import React, { useState } from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { createDataFrame, LoadingState, PanelData } from '@grafana/data';
import { map, ReplaySubject } from 'rxjs';
import { defaultFlowQuery, FilterGroup } from '../../shared/flowQuery';
import { FakeBackendSrv, ok } from '../testing/fakeBackendSrv';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { instanceSettings } from '../testing/instanceSettings';
import { FlowQuery } from '../types';
import { testIds } from './testIds';

const backend = new FakeBackendSrv();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => backend,
}));

import { FlowAtlasDataSource } from '../datasource';
import { QueryEditor } from './QueryEditor';

const settings = instanceSettings();

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

const tree22: FilterGroup = { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }] };

/**
 * The proxy's filter check for the texts of a test: a known text validates (with its tree, or none
 * when it is undefined: the tree is not the point), `==` is a syntax error at its position.
 */
function serveFilterTexts(trees: Record<string, FilterGroup | undefined>) {
  backend.on('/api/v1/filter/validate', (options) => {
    const text = (options.data as { filterText: string }).filterText;
    const at = text.indexOf('==');
    if (at >= 0) {
      return { ok: false, message: `filterText line 1 column ${at + 2}: expected value, found "="`, field: 'filterText', line: 1, column: at + 2 };
    }
    if (!(text in trees)) {
      throw new Error(`unexpected filter text ${text}`);
    }
    return { ok: true, tree: trees[text] ?? { op: 'and', rules: [] } };
  });
}

/** Lets debounced checks fire and their answers (a chain of promises) land. */
async function settle() {
  await act(async () => {
    jest.advanceTimersByTime(500);
  });
  for (let i = 0; i < 20; i++) {
    await act(async () => {});
  }
}

const realTimers = jest.requireActual<typeof import('timers')>('timers');

/**
 * An element drawn by a state update that a promise callback made after an act() scope closed:
 * React renders it on a real macrotask, which no fake timer advance runs, so wait in real time
 * (asserting at once failed a CI run under load: the editor's "not run" notice came a moment later).
 */
async function drawn(testId: string): Promise<HTMLElement> {
  for (let waited = 0; waited < 3000; waited += 10) {
    const element = screen.queryByTestId(testId);
    if (element) {
      return element;
    }
    await act(() => new Promise<void>((resolve) => realTimers.setTimeout(resolve, 10)));
  }
  return screen.getByTestId(testId);
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

  it('fetches suggestions only for the rule focused or typed in: editing another rule does not refetch', async () => {
    const { user, last } = await setup({
      ...defaultFlowQuery(),
      filter: {
        op: 'and',
        rules: [
          { dimension: 'src_country', op: '=', values: ['CN'] },
          { dimension: 'dst_port', op: '=', values: ['22'] },
        ],
      },
    });
    const valueCalls = (dimension: string) => backend.requests.filter((r) => r.options.url.includes(`/dimensions/${dimension}/values`));
    const wait = () =>
      act(async () => {
        jest.advanceTimersByTime(1000);
      });
    await wait();
    // nothing focused yet: no rule asks for suggestions on its own
    expect(valueCalls('src_country')).toHaveLength(0);
    expect(valueCalls('dst_port')).toHaveLength(0);

    // editing rule 2 (exclude) re-renders the whole tree
    await user.click(screen.getAllByRole('radio', { name: 'Exclude' })[2]);
    await wait();
    expect(last().filter.rules[1]).toMatchObject({ dimension: 'dst_port', not: true });
    expect(valueCalls('src_country')).toHaveLength(0);
    expect(valueCalls('dst_port')).toHaveLength(0);

    // typing in rule 1 fetches its suggestions once, after the debounce
    const [countryInput, portInput] = screen.getAllByLabelText('Filter value');
    await user.clear(countryInput);
    await user.type(countryInput, 'R');
    await wait();
    await waitFor(() => expect(valueCalls('src_country')).toHaveLength(1));
    expect(valueCalls('src_country')[0].options.url).toContain('prefix=R&');

    // typing a value in rule 2 fetches rule 2's, and rule 1 is not asked again
    await user.clear(portInput);
    await user.type(portInput, '3389{Enter}');
    await wait();
    expect(last().filter.rules[1]).toMatchObject({ dimension: 'dst_port', values: ['3389'] });
    expect(valueCalls('dst_port')).toHaveLength(1);
    expect(valueCalls('src_country')).toHaveLength(1);
  });

  it('a value typed for = becomes the list chip of in, not also the text of its input (and back)', async () => {
    const { user, last } = await setup({ ...defaultFlowQuery(), filter: { op: 'and', rules: [{ dimension: 'src_country', op: '=', values: ['CN'] }] } });
    const input = () => screen.getByLabelText('Filter value') as HTMLInputElement;
    expect(input().value).toBe('CN');
    await choose(user, 'Rule 1 operator', 'in');
    expect(last().filter.rules[0]).toEqual({ dimension: 'src_country', op: 'in', values: ['CN'] });
    expect(screen.getAllByTestId(testIds.filter.ruleValueChip).map((c) => c.textContent)).toEqual(['CN']);
    // the input is for the next value: typing one adds it beside CN, not "CNRU"
    expect(input().value).toBe('');
    await user.type(input(), 'RU{Enter}');
    expect(last().filter.rules[0]).toMatchObject({ values: ['CN', 'RU'] });
    await choose(user, 'Rule 1 operator', '!=');
    expect(last().filter.rules[0]).toEqual({ dimension: 'src_country', op: '!=', values: ['CN'] });
    expect(input().value).toBe('CN');
  });

  it('flags an invalid CIDR inline and offers the operators of the dimension type', async () => {
    const { user } = await setup({ ...defaultFlowQuery(), filter: { op: 'and', rules: [{ dimension: 'src_ip', op: 'cidr', values: ['10.0.0/8'] }] } });
    expect(screen.getByTestId(testIds.filter.ruleProblem)).toHaveTextContent('"10.0.0/8" is not a CIDR network');
    // an address dimension offers cidr, not like
    await user.click(screen.getByLabelText('Rule 1 operator'));
    expect(screen.getByText('not cidr')).toBeInTheDocument();
    expect(screen.queryByText('not like')).not.toBeInTheDocument();
  });

  it('switches modes: aggregation only in table mode, level and top applications only in topology mode', async () => {
    const { user, last } = await setup();
    expect(screen.queryByLabelText('Aggregation')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Top applications')).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Table' }));
    expect(last().mode).toBe('table');
    expect(screen.getByLabelText('Aggregation')).toBeInTheDocument();
    await choose(user, 'Aggregation', 'p95');
    expect(last().aggregation).toBe('p95');

    await user.click(screen.getByRole('radio', { name: 'Topology' }));
    expect(last().mode).toBe('topology');
    expect(screen.queryByLabelText('Aggregation')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Bidirectional')).not.toBeInTheDocument();
    // the engine ignores top N and Other in topology mode: the editor does not offer them
    expect(screen.queryByLabelText('Top N')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Other')).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Country' }));
    expect(last().level).toBe('country');
    // the map's tooltip lists each link's top applications when the query asks for them
    await user.click(screen.getByLabelText('Top applications'));
    expect(last()).toMatchObject({ mode: 'topology', topApplications: true });

    await user.click(screen.getByRole('radio', { name: 'Time series' }));
    await user.click(screen.getByLabelText('Bidirectional'));
    expect(last()).toMatchObject({ mode: 'timeseries', bidirectional: true });
    await choose(user, 'Metric', 'Packets/s');
    expect(last().metric).toBe('packets_per_second');
  });

  it('Top N commits a whole number of at least 1 on Enter or blur, not per keystroke', async () => {
    const { user, last, onRun } = await setup({ ...defaultFlowQuery(), topN: 10 });
    const topN = () => screen.getByLabelText('Top N') as HTMLInputElement;
    expect(topN().value).toBe('10');
    await user.clear(topN());
    await user.type(topN(), '25');
    // typing alone does not run the query
    expect(onRun).not.toHaveBeenCalled();
    await user.keyboard('{Enter}');
    expect(last().topN).toBe(25);
    expect(onRun).toHaveBeenCalledTimes(1);
    await user.clear(topN());
    await user.type(topN(), '0');
    await user.click(document.body);
    expect(last().topN).toBe(1);
    expect(topN().value).toBe('1');
  });

  it('Top N follows a query changed by its host (a preset, an undo)', async () => {
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    const props = { datasource: ds, onChange: () => {}, onRunQuery: () => {} };
    const { rerender } = render(<QueryEditor {...props} query={{ ...defaultFlowQuery(), refId: 'A', topN: 10 }} />);
    await act(async () => {});
    rerender(<QueryEditor {...props} query={{ ...defaultFlowQuery(), refId: 'A', topN: 3 }} />);
    expect((screen.getByLabelText('Top N') as HTMLInputElement).value).toBe('3');
  });

  it("a rule's new dimension resets an operator its type does not take", async () => {
    const { user, last } = await setup({ ...defaultFlowQuery(), filter: { op: 'and', rules: [{ dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8'] }] } });
    await choose(user, 'Rule 1 dimension', 'dst_port');
    expect(last().filter.rules[0]).toEqual({ dimension: 'dst_port', op: '=', values: [] });
    // an operator the new type takes stays
    await choose(user, 'Rule 1 operator', 'not in');
    await choose(user, 'Rule 1 dimension', 'src_country');
    expect(last().filter.rules[0]).toEqual({ dimension: 'src_country', op: 'not_in', values: [] });
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

  it('text mode starts from the tree, underlines the parse error, and an invalid text cannot replace the tree', async () => {
    serveFilterTexts({ 'dst_port = 22': tree22 });
    const { user, last } = await setup({ ...defaultFlowQuery(), filter: tree22 });

    await user.click(screen.getByRole('radio', { name: 'Text' }));
    const textarea = screen.getByLabelText('Filter text') as HTMLTextAreaElement;
    expect(textarea.value).toBe('dst_port = 22');

    await user.clear(textarea);
    await user.type(textarea, 'dst_port == 22');
    await settle();
    const mark = await screen.findByTestId(testIds.queryEditor.filterTextErrorMark);
    // the engine reads "=" then "=": the second one is where a value was expected
    expect(mark.textContent).toBe('=');
    expect(mark.previousSibling?.textContent).toBe('dst_port =');
    expect(screen.getByTestId(testIds.queryEditor.filterTextError)).toHaveTextContent('expected value, found "=" (field filterText, line 1, column 11)');
    expect(last()).toMatchObject({ filterMode: 'text', filterText: 'dst_port == 22' });

    // the builder would show a tree that is not what the text says: the switch is refused
    await user.click(screen.getByRole('radio', { name: 'Builder' }));
    await settle();
    expect(last().filterMode).toBe('text');
    expect(await drawn(testIds.queryEditor.filterSwitchError)).toHaveTextContent('Fix the filter text first');

    // back to the text the tree was printed as: the tree comes back as it was
    await user.clear(textarea);
    await user.type(textarea, 'dst_port = 22');
    await user.click(screen.getByRole('radio', { name: 'Builder' }));
    await settle();
    expect(last()).toMatchObject({ filterMode: 'builder', filter: tree22 });
    expect(screen.getAllByTestId(testIds.filter.rule)).toHaveLength(1);
  });

  it('a field changed while the switch to the builder waits for the engine is kept', async () => {
    const held = new ReplaySubject<unknown>();
    backend.on('/api/v1/filter/validate', () => held.pipe(map((data) => ok(data))));
    const { user, last } = await setup({ ...defaultFlowQuery(), filterMode: 'text', filterText: 'dst_port = 22' });
    await user.click(screen.getByRole('radio', { name: 'Builder' }));
    await choose(user, 'Metric', 'Packets/s');
    expect(last()).toMatchObject({ metric: 'packets_per_second', filterMode: 'text' });
    await act(async () => {
      held.next({ ok: true, tree: tree22 });
      held.complete();
    });
    await settle();
    expect(last()).toMatchObject({ metric: 'packets_per_second', filterMode: 'builder', filter: tree22 });
  });

  it('round trips: a text edit reaches the tree, a tree edit reaches the text, and the query runs what is shown', async () => {
    const tree23: FilterGroup = { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['23'] }] };
    serveFilterTexts({ 'dst_port = 22': tree22, 'dst_port = 23': tree23, 'dst_port = 23 and action = deny': undefined });
    const { user, last, onRun } = await setup({ ...defaultFlowQuery(), filter: tree22 });

    // text → builder after editing the text: the engine's parse of the text becomes the tree
    await user.click(screen.getByRole('radio', { name: 'Text' }));
    const textarea = screen.getByLabelText('Filter text') as HTMLTextAreaElement;
    await user.clear(textarea);
    await user.type(textarea, 'dst_port = 23');
    await user.click(screen.getByRole('radio', { name: 'Builder' }));
    await settle();
    expect(last()).toMatchObject({ filterMode: 'builder', filter: tree23 });
    expect((screen.getByLabelText('Filter value') as HTMLInputElement).value).toBe('23');

    // builder → edit the tree → text: the text is printed from the edited tree, not the old text
    await user.click(screen.getByTestId(testIds.filter.addRule));
    await choose(user, 'Rule 2 dimension', 'action');
    await user.type(screen.getAllByLabelText('Filter value')[1], 'deny{Enter}');
    onRun.mockClear();
    await user.click(screen.getByRole('radio', { name: 'Text' }));
    await settle();
    expect((screen.getByLabelText('Filter text') as HTMLTextAreaElement).value).toBe('dst_port = 23 and action = deny');
    expect(last()).toMatchObject({ filterMode: 'text', filterText: 'dst_port = 23 and action = deny' });
    expect(onRun).toHaveBeenCalled();
  });

  it("keeps the operator's own spelling of the text when the tree was not edited in between", async () => {
    serveFilterTexts({ 'dst_port=22': tree22, 'dst_port = 22': tree22 });
    const { user, last } = await setup({ ...defaultFlowQuery(), filterMode: 'text', filterText: 'dst_port=22', filter: { op: 'and', rules: [] } });
    await user.click(screen.getByRole('radio', { name: 'Builder' }));
    await settle();
    expect(last()).toMatchObject({ filterMode: 'builder', filter: tree22 });
    await waitFor(() => expect(screen.getByRole('radio', { name: 'Text' })).toBeEnabled());
    await user.click(screen.getByRole('radio', { name: 'Text' }));
    expect(last()).toMatchObject({ filterMode: 'text', filterText: 'dst_port=22' });
  });

  it('underlines what the engine rejects beyond syntax (unknown dimension, bad CIDR) and does not run it', async () => {
    backend.on('/api/v1/filter/validate', () => ({
      ok: false,
      message: 'filterText line 1 column 19: "10.0.0/8" is not an IP address or CIDR prefix',
      field: 'filterText',
      line: 1,
      column: 19,
      tree: { op: 'and', rules: [] },
    }));
    const { user, onRun } = await setup({ ...defaultFlowQuery(), filterMode: 'text', filterText: '' });
    const textarea = screen.getByLabelText('Filter text');
    await user.type(textarea, 'dst_port = 22 and src_ip cidr 10.0.0/8');
    await settle();
    expect(await screen.findByTestId(testIds.queryEditor.filterTextErrorMark)).toHaveTextContent('src_ip');
    expect(screen.getByTestId(testIds.queryEditor.filterTextError)).toHaveTextContent('"10.0.0/8" is not an IP address or CIDR prefix (field filterText, line 1, column 19)');
    onRun.mockClear();
    await user.tab();
    await settle();
    expect(onRun).not.toHaveBeenCalled();
    expect(await drawn(testIds.queryEditor.notRun)).toHaveTextContent('the filter text has an error');
  });

  it('underlines the error of a failed run when it points into the text on screen', async () => {
    backend.on('/api/v1/filter/validate', () => ({ ok: true, tree: { op: 'and', rules: [] } }));
    const text = 'src_ip = $suspect and dst_port == 22';
    const target = { ...defaultFlowQuery(), refId: 'A', filterMode: 'text' as const, filterText: text };
    const data = {
      series: [],
      state: LoadingState.Error,
      errors: [{ refId: 'A', message: 'FlowAtlas: expected value (field filterText, line 1, column 32)', field: 'filterText', line: 1, column: 32 }],
      request: { targets: [target] },
      timeRange: {},
    } as unknown as PanelData;
    await setup(target, data);
    await settle();
    expect(screen.getByTestId(testIds.queryEditor.filterTextErrorMark)).toHaveTextContent('==');
    expect(screen.getByTestId(testIds.queryEditor.filterTextError)).toHaveTextContent('expected value (field filterText, line 1, column 32)');
  });

  it('an invalid CIDR is flagged and not sent; the editor says why, and runs once it is fixed', async () => {
    const { user, onRun, last } = await setup({ ...defaultFlowQuery(), filter: { op: 'and', rules: [{ dimension: 'src_ip', op: 'cidr', values: [] }] } });
    const value = screen.getByLabelText('Filter value');
    await user.type(value, '10.0.0/8{Enter}');
    expect(last().filter.rules[0]).toMatchObject({ values: ['10.0.0/8'] });
    expect(screen.getByTestId(testIds.filter.ruleProblem)).toHaveTextContent('"10.0.0/8" is not a CIDR network');
    expect(onRun).not.toHaveBeenCalled();
    expect(await drawn(testIds.queryEditor.notRun)).toHaveTextContent('rule 1: "10.0.0/8" is not a CIDR network');

    // other changes do not run it either while the rule is wrong
    await user.click(screen.getByLabelText('Other'));
    expect(onRun).not.toHaveBeenCalled();

    await user.clear(value);
    await user.type(value, '10.0.0.0/8{Enter}');
    expect(onRun).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId(testIds.queryEditor.notRun)).not.toBeInTheDocument();
  });

  it('names the series of a query without dimensions (the field is there only then)', async () => {
    const { user, last } = await setup({ ...defaultFlowQuery(), dimensions: [] });
    const name = screen.getByLabelText('Series name');
    expect(name).toHaveAttribute('placeholder', 'A');
    await user.type(name, 'MySQL in');
    await user.click(document.body);
    expect(last().alias).toBe('MySQL in');
    await choose(user, 'Group by dimensions', 'Source IP');
    expect(screen.queryByLabelText('Series name')).not.toBeInTheDocument();
  });

  it('Show SQL shows what the proxy ran, with its parameter values, and which table answered', async () => {
    const frame = createDataFrame({
      refId: 'A',
      fields: [],
      meta: {
        executedQueryString: 'SELECT src_ip, sum(flows) FROM flows_1h WHERE time >= $1 AND dst_port = ANY($2) AND rule = $3 …',
        custom: { table: '1h', reason: 'range 21 d, bucket 1 h', params: ['2026-11-01T00:00:00.000Z', [22, 2222], "it's"] },
      },
    });
    const data = { series: [frame], state: LoadingState.Done, timeRange: {} } as unknown as PanelData;
    const { user } = await setup(defaultFlowQuery(), data);
    expect(screen.queryByTestId(testIds.queryEditor.sql)).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Show SQL'));
    const sql = screen.getByTestId(testIds.queryEditor.sql);
    expect(sql).toHaveTextContent('Answered from 1h: range 21 d, bucket 1 h');
    expect(sql).toHaveTextContent('SELECT src_ip, sum(flows) FROM flows_1h WHERE time >= $1');
    expect(screen.getByTestId(testIds.queryEditor.sqlParams).textContent).toBe("$1 = '2026-11-01T00:00:00.000Z'\n$2 = {22, 2222}\n$3 = 'it''s'");
  });

  it('Show SQL lists each statement with its own parameters when the proxy ran two (a map with top applications)', async () => {
    const frame = createDataFrame({
      refId: 'A',
      fields: [],
      meta: {
        executedQueryString: 'SELECT a … $1 … $2;\n\nSELECT a, b, app … $3',
        custom: {
          table: 'raw',
          params: ['2026-11-01T00:00:00.000Z', 10001],
          statements: [
            { sql: 'SELECT a, b, v FROM flows WHERE time >= $1 LIMIT $2', params: ['2026-11-01T00:00:00.000Z', 10001] },
            { sql: 'SELECT a, b, app, v FROM flows WHERE time >= $1 AND r <= $2 LIMIT $3', params: ['2026-11-01T00:00:00.000Z', 3, 10001] },
          ],
        },
      },
    });
    const data = { series: [frame], state: LoadingState.Done, timeRange: {} } as unknown as PanelData;
    const { user } = await setup(defaultFlowQuery(), data);
    await user.click(screen.getByLabelText('Show SQL'));
    const sql = screen.getByTestId(testIds.queryEditor.sql);
    expect(sql).toHaveTextContent('Statement 1 of 2SELECT a, b, v FROM flows');
    expect(sql).toHaveTextContent('Statement 2 of 2SELECT a, b, app, v FROM flows');
    expect(screen.getAllByTestId(testIds.queryEditor.sqlParams).map((p) => p.textContent)).toEqual([
      "$1 = '2026-11-01T00:00:00.000Z'\n$2 = 10001",
      "$1 = '2026-11-01T00:00:00.000Z'\n$2 = 3\n$3 = 10001",
    ]);
  });

  it('migrates an old saved query once on load', async () => {
    const { last } = await setup({ metric: 'flows', mode: 'table', dimensions: ['src_ip'], filters: [{ dimension: 'dst_port', op: '=', values: ['22'] }] } as never);
    await waitFor(() => expect(last()).toBeDefined());
    expect(last()).toMatchObject({ version: 2, filter: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }] } });
  });
});
