import { describeHealth, describeHealthFailure, GRAFANA_PROXY_AUTH_FAILED } from './healthMessage';

describe('health messages shared by Save & test and CheckHealth', () => {
  it('names the database, the row count and the newest flow', () => {
    expect(describeHealth({ status: 'ok', database: 'TimescaleDB 2.17', rows: 1234567, newest: '2026-01-05T10:00:00Z' })).toEqual({
      ok: true,
      message: 'Connected to FlowAtlas on TimescaleDB 2.17: 1,234,567 flow rows, newest flow 2026-01-05T10:00:00.000Z.',
    });
    expect(describeHealth({ status: 'ok', database: 'PostgreSQL 16' }).message).toBe(
      'Connected to FlowAtlas on PostgreSQL 16: row count unknown, no flows yet.'
    );
  });

  it('says "about" when the row count is the planner\'s estimate (rowsExact: false above 2M rows)', () => {
    const health = { status: 'ok', database: 'TimescaleDB 2.17', rows: 19_873_412, newest: '2026-01-05T10:00:00Z' };
    expect(describeHealth({ ...health, rowsExact: false }).message).toBe(
      'Connected to FlowAtlas on TimescaleDB 2.17: about 19,900,000 flow rows, newest flow 2026-01-05T10:00:00.000Z.'
    );
    expect(describeHealth({ ...health, rowsExact: true }).message).toContain(': 19,873,412 flow rows,');
  });

  it('reports an unhealthy proxy and a 401 with the token hint', () => {
    expect(describeHealth({ status: 'degraded', database: 'x' })).toEqual({ ok: false, message: 'FlowAtlas proxy is not healthy: degraded' });
    expect(describeHealthFailure('Unauthorized', 401).message).toBe('Cannot reach the FlowAtlas proxy: Unauthorized (check the token)');
    expect(describeHealthFailure('this token may only ingest', 403).message).toBe(
      'Cannot reach the FlowAtlas proxy: this token may only ingest (check the token)'
    );
    expect(describeHealthFailure('cannot connect').message).toBe('Cannot reach the FlowAtlas proxy: cannot connect');
    // the browser's view of the proxy's 401: Grafana's data source proxy answers 400 with this text
    expect(describeHealthFailure(GRAFANA_PROXY_AUTH_FAILED, 400).message).toBe(
      'Cannot reach the FlowAtlas proxy: Authentication to data source failed (check the token)'
    );
    expect(describeHealthFailure('unknown dimension', 400).message).toBe('Cannot reach the FlowAtlas proxy: unknown dimension');
  });
});
