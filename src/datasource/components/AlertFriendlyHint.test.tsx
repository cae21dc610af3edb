import React from 'react';
import { act, render, screen } from '@testing-library/react';
import { CoreApp, createDataFrame, FieldType, LoadingState, PanelData } from '@grafana/data';
import { defaultFlowQuery } from '../../shared/flowQuery';
import { FakeBackendSrv } from '../testing/fakeBackendSrv';
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

backend.on('/api/v1/dimensions', () => [{ name: 'src_ip', label: 'Source IP', type: 'ip', category: 'addresses' }]);

const settings = instanceSettings();

async function renderEditor(query: Partial<FlowQuery>, app: CoreApp, data?: PanelData) {
  const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
  render(
    <QueryEditor query={{ ...defaultFlowQuery(), refId: 'A', ...query } as FlowQuery} datasource={ds} onChange={() => {}} onRunQuery={() => {}} app={app} data={data} />
  );
  await act(async () => {});
}

describe('the alert-friendly hint in the query editor', () => {
  it('in an alert rule, says why a topology query cannot alert', async () => {
    await renderEditor({ mode: 'topology' }, CoreApp.UnifiedAlerting);
    expect(screen.getByTestId(testIds.queryEditor.alertHint)).toHaveTextContent(/node graph, which alert rules cannot evaluate/);
  });

  it('stays away from dashboards, and from queries that already suit alerting', async () => {
    await renderEditor({ mode: 'topology' }, CoreApp.Dashboard);
    expect(screen.queryByTestId(testIds.queryEditor.alertHint)).toBeNull();
    await renderEditor({ mode: 'table', dimensions: ['src_ip'], topN: 5, other: false }, CoreApp.UnifiedAlerting);
    expect(screen.queryByTestId(testIds.queryEditor.alertHint)).toBeNull();
  });

  it("warns when the preview's instances share a label set, which alerting rejects", async () => {
    // the numeric table the backend returned for the rule's preview: two rows read rule=""
    const frame = createDataFrame({
      refId: 'A',
      fields: [
        { name: 'rule', type: FieldType.string, values: ['allow-ssh', '', ''] },
        { name: 'flows', type: FieldType.number, values: [9, 4, 1] },
      ],
    });
    const data = { series: [frame], state: LoadingState.Done, timeRange: {} } as unknown as PanelData;
    await renderEditor({ mode: 'table', dimensions: ['rule'], topN: 5, other: false }, CoreApp.UnifiedAlerting, data);
    expect(screen.getByTestId(testIds.queryEditor.alertHint)).toHaveTextContent('2 alert instances share the labels {rule=""}, which alerting rejects');
  });
});
