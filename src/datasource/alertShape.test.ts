import { defaultFlowQuery, FlowQueryModel } from '../shared/flowQuery';
import { alertHints, alertInstances } from './alertShape';

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
});
