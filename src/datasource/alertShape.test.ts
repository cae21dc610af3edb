import { createDataFrame, DataFrame, FieldType } from '@grafana/data';
import { defaultFlowQuery, FlowQueryModel } from '../shared/flowQuery';
import { alertHints, alertInstances, duplicateLabelSets } from './alertShape';

const model = (m: Partial<FlowQueryModel>): FlowQueryModel => ({ ...defaultFlowQuery(), ...m });

describe('alert-friendly hints', () => {
  it('a compact table query needs no hint', () => {
    expect(alertHints(model({ mode: 'table', dimensions: ['src_ip'], topN: 10, other: false }))).toEqual([]);
  });

  it('topology cannot be evaluated by a rule', () => {
    expect(alertHints(model({ mode: 'topology' }))).toEqual([expect.objectContaining({ level: 'warning', text: expect.stringMatching(/node graph/) })]);
  });

  it('counts instances like the proxy returns groups, and warns about long tables', () => {
    expect(alertInstances(model({ mode: 'table', dimensions: ['src_ip'], topN: 30, other: true, bidirectional: true }))).toBe(62);
    expect(alertInstances(model({ mode: 'table', dimensions: [], topN: 30, other: true }))).toBe(1);
    const hints = alertHints(model({ mode: 'table', dimensions: ['src_ip'], topN: 100, other: false }));
    expect(hints).toEqual([{ level: 'warning', text: 'Up to 100 alert instances per evaluation (one per row): lower Top N or narrow the filter.' }]);
  });

  it('dashboard variables, the Other instance and time series reduction', () => {
    const texts = alertHints(
      model({ mode: 'timeseries', dimensions: ['src_ip'], other: true, filterMode: 'text', filterText: 'src_ip = $suspect' })
    ).map((h) => h.text);
    expect(texts).toEqual([
      expect.stringMatching(/^Dashboard variables/),
      expect.stringMatching(/^Other becomes an alert instance/),
      expect.stringMatching(/^Time series: add a Reduce expression/),
    ]);
  });

  describe('duplicate label sets, checked on the frames the backend returns to the rule preview', () => {
    // The shapes of backend-plugin/src/alertFrames.ts: a numeric table (dimension columns as
    // strings, a null as "", the Other row as "Other", bidirectional twins as a direction column
    // and one number field) and a wide time series frame (one number field per series, with labels).
    const numericTable = (columns: Record<string, string[]>, values: number[]): DataFrame =>
      createDataFrame({
        refId: 'A',
        fields: [
          ...Object.entries(columns).map(([name, v]) => ({ name, type: FieldType.string, values: v })),
          { name: 'flows', type: FieldType.number, values },
        ],
      });
    const wide = (labels: Array<Record<string, string>>): DataFrame =>
      createDataFrame({
        refId: 'A',
        fields: [
          { name: 'time', type: FieldType.time, values: [1000, 2000] },
          ...labels.map((l) => ({ name: 'bytes', type: FieldType.number, values: [1, 2], labels: l })),
        ],
      });

    it('a missing value and an empty one read the same: two rows with the labels {rule=""}', () => {
      const m = model({ mode: 'table', metric: 'flows', dimensions: ['rule'], topN: 5 });
      const frames = [numericTable({ rule: ['allow-ssh', '', ''] }, [9, 4, 1])];
      expect(duplicateLabelSets(frames)).toEqual([{ labels: { rule: '' }, count: 2 }]);
      expect(alertHints(m, frames)).toEqual([
        {
          level: 'warning',
          text: '2 alert instances share the labels {rule=""}, which alerting rejects (a missing rule and an empty one both read ""): add the rule "rule exists" or group by another dimension.',
        },
      ]);
    });

    it('distinct groups, the Other row and bidirectional twins all have labels of their own', () => {
      const twins = numericTable(
        { rule: ['allow-ssh', 'deny-all', 'Other', 'allow-ssh', 'deny-all', 'Other'], direction: ['forward', 'forward', 'forward', 'reverse', 'reverse', 'reverse'] },
        [9, 4, 1, 3, 2, 1]
      );
      expect(duplicateLabelSets([twins])).toEqual([]);
      expect(alertHints(model({ mode: 'table', metric: 'flows', dimensions: ['rule'], topN: 5 }), [twins])).toEqual([]);
      // several label columns: a repeated value in one column is no duplicate
      expect(duplicateLabelSets([numericTable({ src_ip: ['10.0.0.1', '10.0.0.2'], rule: ['', ''] }, [2, 1])])).toEqual([]);
    });

    it('time series: one instance per series, told apart by its labels, across frames too', () => {
      expect(duplicateLabelSets([wide([{ src_country: 'CN' }, { src_country: 'RU' }])])).toEqual([]);
      expect(duplicateLabelSets([wide([{ src_country: '' }, { src_country: 'RU' }]), wide([{ src_country: '' }])])).toEqual([
        { labels: { src_country: '' }, count: 2 },
      ]);
      // no dimensions, bidirectional: the twins differ by direction
      expect(duplicateLabelSets([wide([{ direction: 'forward' }, { direction: 'reverse' }])])).toEqual([]);
      // a hint names the labels when no value is empty
      const texts = alertHints(model({ mode: 'timeseries', dimensions: ['src_country'] }), [wide([{ src_country: 'CN' }, { src_country: 'CN' }])]).map((h) => h.text);
      expect(texts[0]).toBe('2 alert instances share the labels {src_country="CN"}, which alerting rejects: group by a dimension that tells them apart.');
    });
  });
});
