import { describeHealth, describeHealthFailure, HealthVerdict } from '../../src/shared/healthMessage';
import { toFlowAtlasError } from '../../src/datasource/errors';
import { getHealth } from './proxyClient';
import { InstanceSettingsMessage, readSettings, SettingsError } from './settings';

/** CheckHealth: the same probe and the same words as "Save & test" in the browser. */
export async function checkHealth(settings: InstanceSettingsMessage | null | undefined): Promise<HealthVerdict> {
  try {
    return describeHealth(await getHealth(readSettings(settings)));
  } catch (err) {
    if (err instanceof SettingsError) {
      return { ok: false, message: `FlowAtlas data source is not configured: ${err.message}` };
    }
    const e = toFlowAtlasError(err);
    return describeHealthFailure(e.message, e.status);
  }
}
