/**
 * The provisioned dashboards, bundled from provisioning/dashboards/ by esbuild: the playground
 * draws the very files Grafana loads, not copies of them.
 */
import forensics from '../../../provisioning/dashboards/flow-forensics.json';
import noc from '../../../provisioning/dashboards/noc-wall.json';
import type { Dashboard } from './model';

export const DASHBOARDS: Dashboard[] = [forensics as unknown as Dashboard, noc as unknown as Dashboard];

export function findDashboard(uid: string): Dashboard | undefined {
  return DASHBOARDS.find((d) => d.uid === uid);
}
