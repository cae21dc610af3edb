import { queryTimeoutSeconds } from '../../src/shared/queryTimeout';

/**
 * The data source settings Grafana sends with every request (it does not tell the plugin when
 * they change, so nothing is cached across requests).
 */
export interface ProxySettings {
  /** Base URL of backend-proxy, without a trailing slash. */
  proxyUrl: string;
  token: string;
  timeoutMs: number;
}

/** The wire shape of DataSourceInstanceSettings, as proto-loader decodes it. */
export interface InstanceSettingsMessage {
  jsonData?: Uint8Array | Buffer | null;
  decryptedSecureJsonData?: Record<string, string> | null;
}

export class SettingsError extends Error {}

export function readSettings(settings: InstanceSettingsMessage | null | undefined): ProxySettings {
  if (!settings) {
    throw new SettingsError('the request carries no data source settings');
  }
  let jsonData: { proxyUrl?: unknown; timeout?: unknown; timeoutSeconds?: unknown } = {};
  const raw = settings.jsonData ? Buffer.from(settings.jsonData).toString('utf8') : '';
  if (raw.trim() !== '') {
    try {
      jsonData = JSON.parse(raw);
    } catch {
      throw new SettingsError('the data source settings (jsonData) are not valid JSON');
    }
  }
  const proxyUrl = typeof jsonData.proxyUrl === 'string' ? jsonData.proxyUrl.trim().replace(/\/+$/, '') : '';
  if (!proxyUrl) {
    throw new SettingsError('the FlowAtlas proxy URL is not set in the data source settings');
  }
  return {
    proxyUrl,
    token: settings.decryptedSecureJsonData?.token ?? '',
    timeoutMs: queryTimeoutSeconds(jsonData) * 1000,
  };
}
