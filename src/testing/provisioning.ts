import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';

/**
 * Reads the deployment as Grafana and docker compose would: docker-compose.yml, the provisioning
 * files and the plugins the bundler builds from src/. Shared by the tests that check the
 * deployment (src/deploy.test.ts) and run its dashboards (src/dashboards.test.ts).
 */
export const ROOT = path.resolve(__dirname, '../..');

export const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

/** YAML with merge keys (`<<: *anchor`), which docker compose supports. */
export const yaml = (rel: string) => parse(read(rel), { merge: true });

export interface PluginJson {
  file: string;
  id: string;
  type: string;
  [key: string]: any;
}

function pluginJsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      return pluginJsonFiles(full);
    }
    return e.name === 'plugin.json' ? [full] : [];
  });
}

/** Plugins the bundler builds: a plugin.json with a sibling module.* (same rule as .config/bundler/utils.ts). */
export function builtPlugins(): PluginJson[] {
  return pluginJsonFiles(path.join(ROOT, 'src'))
    .filter((f) => fs.readdirSync(path.dirname(f)).some((n) => /^module\.(t|j)sx?$/.test(n)))
    .map((f) => ({ file: path.relative(ROOT, f), ...JSON.parse(fs.readFileSync(f, 'utf8')) }));
}

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** Short (`./a:/b:ro`) and long volume syntax. */
export function volumesOf(service: any): Mount[] {
  return (service.volumes ?? []).map((v: string | { source: string; target: string; read_only?: boolean }) => {
    if (typeof v !== 'string') {
      return { source: v.source, target: v.target, readOnly: Boolean(v.read_only) };
    }
    const [source, target, mode] = v.split(':');
    return { source, target, readOnly: mode === 'ro' };
  });
}

/** KEY=value list or map → map; `${VAR:-default}` kept verbatim. */
export function envOf(service: any): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((kv: string) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

/** `${VAR:-default}` → default, for resolving references; other forms are left as they are. */
export function expandDefaults(text: string): string {
  return text.replace(/\$\{(\w+):-([^}]*)\}/g, '$2');
}

export const compose = () => yaml('docker-compose.yml');

/** The host folder Grafana reads dashboards from: the provider's path through the grafana service's mount. */
export function dashboardDir(): string {
  const grafana = compose().services.grafana;
  const mount = volumesOf(grafana).find((m) => m.target === '/etc/grafana/provisioning')!;
  const target = yaml('provisioning/dashboards/dashboards.yaml').providers[0].options.path as string;
  return path.join(ROOT, mount.source, path.relative(mount.target, target));
}

export interface ProvisionedDashboard {
  file: string;
  json: any;
}

export function provisionedDashboards(): ProvisionedDashboard[] {
  const dir = dashboardDir();
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: path.relative(ROOT, path.join(dir, f)), json: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

/** The panels between the row whose title starts with `Step <n>` and the next row. */
export function stepPanels(dashboard: any, step: number): any[] {
  const panels: any[] = [...dashboard.panels].sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x);
  const start = panels.findIndex((p) => p.type === 'row' && new RegExp(`^Step ${step}\\b`).test(p.title));
  if (start < 0) {
    return [];
  }
  const end = panels.findIndex((p, i) => i > start && p.type === 'row');
  return panels.slice(start + 1, end < 0 ? undefined : end);
}
