import { DEFAULT_QUERY_TIMEOUT_SECONDS, queryTimeoutSeconds } from './queryTimeout';

describe('queryTimeoutSeconds', () => {
  it('reads jsonData.timeout, the key Grafana’s data source proxy also reads, as a number or a numeric string', () => {
    expect(queryTimeoutSeconds({ timeout: 90 })).toBe(90);
    expect(queryTimeoutSeconds({ timeout: '120' })).toBe(120);
  });

  it('falls back to timeoutSeconds of settings saved before, then to the default', () => {
    expect(queryTimeoutSeconds({ timeoutSeconds: 45 })).toBe(45);
    expect(queryTimeoutSeconds({ timeout: 30, timeoutSeconds: 45 })).toBe(30);
    expect(queryTimeoutSeconds({})).toBe(DEFAULT_QUERY_TIMEOUT_SECONDS);
    expect(queryTimeoutSeconds(undefined)).toBe(60);
  });

  it('ignores values that are no positive number of seconds', () => {
    for (const timeout of [0, -5, 'soon', '', null, NaN, Infinity]) {
      expect(queryTimeoutSeconds({ timeout })).toBe(60);
    }
  });
});
