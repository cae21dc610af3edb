import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { throwError } from 'rxjs';
import { defaultFlowQuery } from '../../shared/flowQuery';
import { FakeBackendSrv, fetchError } from '../testing/fakeBackendSrv';
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
import { AlertSqlExport } from './AlertSqlExport';

const settings = instanceSettings();

function show(query: Partial<FlowQuery>, variables: Record<string, string> = {}) {
  const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv(variables));
  render(<AlertSqlExport query={{ ...defaultFlowQuery(), refId: 'A', ...query } as FlowQuery} datasource={ds} />);
  return userEvent.setup();
}

beforeEach(() => {
  backend.requests.length = 0;
});

describe('Copy as alert SQL', () => {
  it('shows the SQL with the current values of dashboard variables, ready to copy', async () => {
    const user = show(
      {
        mode: 'table',
        metric: 'flows',
        dimensions: ['src_ip'],
        filter: { op: 'and', rules: [{ dimension: 'dst_ip', op: '=', values: ['$jump_host'] }, { dimension: 'dst_port', op: '=', values: ['22'] }] },
      },
      { jump_host: '10.10.1.5' }
    );
    await user.click(screen.getByTestId(testIds.queryEditor.alertSqlButton));
    const sql = await screen.findByTestId(testIds.queryEditor.alertSqlText);
    expect(sql.textContent).toContain('-- Dashboard variables were replaced by their current values.');
    expect(sql.textContent).toContain("coalesce(dst_ip = '10.10.1.5'::inet, false)");
    expect(sql.textContent).toContain('FROM flow_connections_1m');
    expect(screen.getByText('flow_connections_1m')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.queryEditor.alertSqlCopy)).toBeInTheDocument();
  });

  it('parses a text filter on the proxy first', async () => {
    backend.on('/api/v1/filter/validate', () => ({ ok: true, tree: { op: 'and', rules: [{ dimension: 'action', op: '=', values: ['deny'] }] } }));
    const user = show({ mode: 'timeseries', metric: 'bytes', dimensions: ['src_country'], filterMode: 'text', filterText: 'action = deny' });
    await user.click(screen.getByTestId(testIds.queryEditor.alertSqlButton));
    expect((await screen.findByTestId(testIds.queryEditor.alertSqlText)).textContent).toContain("coalesce(action = 'deny', false)");
    expect(backend.requests.map((r) => r.options.data)).toEqual([{ filterText: 'action = deny' }]);
  });

  it('says why when the query has no alert SQL form', async () => {
    const user = show({ mode: 'table', metric: 'unique_dst_ports', dimensions: ['src_ip'] });
    await user.click(screen.getByTestId(testIds.queryEditor.alertSqlButton));
    expect((await screen.findByTestId(testIds.queryEditor.alertSqlReason)).textContent).toMatch(/unique_dst_ports is not kept in the aggregate views/);
  });

  it('reports a text filter the proxy rejects', async () => {
    backend.on('/api/v1/filter/validate', () => throwError(() => fetchError(400, { statusCode: 400, error: 'Bad Request', message: 'expected a value after =', field: 'filterText', line: 1, column: 10 })));
    const user = show({ mode: 'table', metric: 'bytes', dimensions: ['action'], filterMode: 'text', filterText: 'action = ' });
    await user.click(screen.getByTestId(testIds.queryEditor.alertSqlButton));
    await waitFor(() => expect(screen.getByTestId(testIds.queryEditor.alertSqlReason).textContent).toMatch(/the filter does not parse: .*expected a value after =/));
  });
});
