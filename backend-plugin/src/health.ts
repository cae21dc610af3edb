import { describeHealth, describeHealthFailure, HealthVerdict } from '../../src/shared/healthMessage';
import { toFlowAtlasError } from '../../src/datasource/errors';
import { checkToken, getHealth } from './proxyClient';
import { InstanceSettingsMessage, readSettings, SettingsError } from './settings';

/**
 * CheckHealth: the same probes and the same words as "Save & test" in the browser. /api/health
 * is unauthenticated, so an authenticated call follows: a wrong token must not pass the test.
 */
export async function checkHealth(settings: InstanceSettingsMessage | null | undefined): Promise<HealthVerdict> {
  try {
    const proxy = readSettings(settings);
    const health = await getHealth(proxy);
    await checkToken(proxy);
    return describeHealth(health);
  } catch (err) {
    if (err instanceof SettingsError) {
      return { ok: false, message: `FlowAtlas data source is not configured: ${err.message}` };
    }
    const e = toFlowAtlasError(err);
    return describeHealthFailure(e.message, e.status);
  }
}
