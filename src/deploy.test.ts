/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { FLOW_QUERY_VERSION } from './shared/flowQuery';
import { migrateQuery } from './datasource/migration';
import { AD_HOC_VARIABLE } from './datasource/frames';

// docker-compose.yml cannot run here (no Docker engine), so this checks that its pieces and the
// provisioning files refer to each other and to the repository: ports, service names, plugin ids,
// datasource uids, mounted paths.

const ROOT = path.resolve(__dirname, '..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const yaml = (rel: string) => parse(read(rel));

function pluginJsonFiles(dir = path.join(ROOT, 'src')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      return pluginJsonFiles(full);
    }
    return e.name === 'plugin.json' ? [full] : [];
  });
}

/** Plugins the bundler builds: a plugin.json with a sibling module.* (same rule as .config/bundler/utils.ts). */
const plugins = pluginJsonFiles()
  .filter((f) => fs.readdirSync(path.dirname(f)).some((n) => /^module\.(t|j)sx?$/.test(n)))
  .map((f) => ({ file: path.relative(ROOT, f), ...JSON.parse(fs.readFileSync(f, 'utf8')) }));
const app = plugins.find((p) => p.type === 'app');
const datasourcePlugin = plugins.find((p) => p.type === 'datasource');

const compose = yaml('docker-compose.yml');
const services = compose.services as Record<string, any>;
const dsProvisioning = yaml('provisioning/datasources/datasources.yml');
const appsProvisioning = yaml('provisioning/plugins/apps.yaml');
const dashboardProviders = yaml('provisioning/dashboards/dashboards.yaml');

/** KEY=value list or map → map; `${VAR:-default}` kept verbatim. */
function envOf(service: any): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((kv: string) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

/** `${VAR:-default}` → default, `${VAR}` / `${VAR:?msg}` → VAR's name, for resolving references. */
function expandDefaults(text: string): string {
  return text.replace(/\$\{(\w+):-([^}]*)\}/g, '$2');
}

function volumesOf(service: any): Array<{ source: string; target: string }> {
  return (service.volumes ?? []).map((v: string | { source: string; target: string }) => {
    if (typeof v !== 'string') {
      return v;
    }
    const [source, target] = v.split(':');
    return { source, target };
  });
}

function publishedPorts(service: any): Array<{ host: number; container: number }> {
  return (service.ports ?? []).map((p: string) => {
    const [host, container] = String(p).split(':').map(Number);
    return { host, container };
  });
}

describe('plugins', () => {
  it('has one app, one data source, and unique ids', () => {
    expect(app?.id).toBe('flowatlas-flows-app');
    expect(datasourcePlugin?.id).toBe('flowatlas-flows-datasource');
    const ids = plugins.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sends the token only through the data source route, to the proxy URL from jsonData', () => {
    const route = datasourcePlugin.routes.find((r: any) => r.path === 'flowatlas');
    expect(route.url).toBe('{{ .JsonData.proxyUrl }}');
    expect(route.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.token }}' }]);
  });
});

describe('docker-compose.yml', () => {
  it('pins every image and health-checks every service', () => {
    expect(Object.keys(services).sort()).toEqual(['backend-proxy', 'grafana', 'timescaledb']);
    for (const [name, service] of Object.entries(services)) {
      if (service.image) {
        expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:\d[\w.-]*$/)]);
      }
      expect([name, Array.isArray(service.healthcheck?.test)]).toEqual([name, true]);
    }
    expect(services.timescaledb.image).toMatch(/^timescale\/timescaledb:2\.\d+\.\d+-pg\d+$/);
    // glibc image: the data source backend executable needs glibc (issue 10)
    expect(services.grafana.image).toBe('grafana/grafana:12.0.2-ubuntu');
  });

  it('waits on healthy dependencies and names only existing services', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, cond] of Object.entries<any>(service.depends_on ?? {})) {
        expect([name, dep in services, cond.condition]).toEqual([name, true, 'service_healthy']);
      }
    }
    expect(Object.keys(services['backend-proxy'].depends_on)).toEqual(['timescaledb']);
    expect(Object.keys(services.grafana.depends_on)).toEqual(['backend-proxy']);
  });

  it('points the proxy at the timescaledb service with its user, password and database', () => {
    const db = envOf(services.timescaledb);
    const url = new URL(expandDefaults(envOf(services['backend-proxy']).DATABASE_URL));
    expect(url.hostname).toBe('timescaledb');
    expect(url.port).toBe('5432');
    expect(url.username).toBe(db.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(expandDefaults(db.POSTGRES_PASSWORD));
    expect(url.pathname).toBe(`/${db.POSTGRES_DB}`);
    expect(volumesOf(services.timescaledb)[0]).toEqual({ source: 'timescaledb-data', target: '/var/lib/postgresql/data' });
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['timescaledb-data', 'grafana-data']));
  });

  it('publishes and health-checks the port the proxy listens on', () => {
    const proxy = services['backend-proxy'];
    const env = envOf(proxy);
    const port = Number(env.FLOWATLAS_PORT);
    expect(publishedPorts(proxy)).toContainEqual({ host: port, container: port });
    expect(proxy.healthcheck.test.join(' ')).toContain(`127.0.0.1:${port}/api/health`);
    expect(env.FLOWATLAS_HOST).toBe('0.0.0.0');
    expect(publishedPorts(services.grafana)).toContainEqual({ host: 3000, container: 3000 });
    expect(services.grafana.healthcheck.test.join(' ')).toContain('127.0.0.1:3000/api/health');
  });

  it('gives proxy and Grafana the same token from .env', () => {
    const proxyToken = envOf(services['backend-proxy']).FLOWATLAS_TOKEN;
    expect(proxyToken).toMatch(/^\$\{FLOWATLAS_TOKEN:\?/);
    expect(envOf(services.grafana).FLOWATLAS_TOKEN).toBe(proxyToken);
    expect(dsProvisioning.datasources[0].secureJsonData.token).toBe('$FLOWATLAS_TOKEN');
    expect(read('provisioning/flowatlas.env.example')).toMatch(/^FLOWATLAS_TOKEN=/m);
  });

  it('builds the proxy from a multi-stage, non-root Dockerfile whose paths exist', () => {
    const build = services['backend-proxy'].build;
    expect(path.resolve(ROOT, build.context)).toBe(ROOT);
    const dockerfile = read(path.join(build.context, build.dockerfile));
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/api\/health/m);
    for (const [, src] of dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)) {
      expect([src, fs.existsSync(path.join(ROOT, src))]).toEqual([src, true]);
    }
    for (const [, src] of dockerfile.matchAll(/^COPY --from=build \S+ \/app\/(backend-proxy\/(?:config|package\.json))/gm)) {
      expect([src, fs.existsSync(path.join(ROOT, src))]).toEqual([src, true]);
    }
    // CMD runs the compiled form of backend-proxy/src/cli/start.ts
    const cmd = /^CMD \["node", "dist\/(.+)\.js"\]$/m.exec(dockerfile);
    expect(cmd).not.toBeNull();
    expect(fs.existsSync(path.join(ROOT, 'backend-proxy/src', `${cmd![1]}.ts`))).toBe(true);
  });

  it('mounts the built plugin under the app id and allows every plugin unsigned', () => {
    const mounts = volumesOf(services.grafana);
    const distDir = /DIST_DIR = '([^']+)'/.exec(read('.config/bundler/constants.ts'))![1];
    expect(mounts).toContainEqual({ source: `./${distDir}`, target: `/var/lib/grafana/plugins/${app.id}` });
    const allowed = envOf(services.grafana).GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',');
    for (const p of plugins) {
      expect([p.file, allowed.includes(p.id)]).toEqual([p.file, true]);
    }
    for (const id of allowed) {
      expect([id, plugins.some((p) => p.id === id)]).toEqual([id, true]);
    }
  });

  it('mounts provisioning from the repository where Grafana reads it', () => {
    const mount = volumesOf(services.grafana).find((m) => m.target === '/etc/grafana/provisioning');
    expect(mount).toBeDefined();
    expect(fs.statSync(path.join(ROOT, mount!.source)).isDirectory()).toBe(true);
    const home = envOf(services.grafana).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(fs.existsSync(path.join(ROOT, mount!.source, path.relative(mount!.target, home)))).toBe(true);
  });
});

describe('provisioning', () => {
  const providerDir = (() => {
    const mount = volumesOf(services.grafana).find((m) => m.target === '/etc/grafana/provisioning')!;
    const target = dashboardProviders.providers[0].options.path as string;
    return path.join(ROOT, mount.source, path.relative(mount.target, target));
  })();
  const dashboards = fs
    .readdirSync(providerDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: f, json: JSON.parse(fs.readFileSync(path.join(providerDir, f), 'utf8')) }));

  it('enables the app by its plugin id', () => {
    expect(appsProvisioning.apps).toEqual([expect.objectContaining({ type: app.id, disabled: false })]);
  });

  it('provisions the data source with uid flowatlas at the proxy service', () => {
    const [ds] = dsProvisioning.datasources;
    expect(ds).toMatchObject({ uid: 'flowatlas', type: datasourcePlugin.id, access: 'proxy' });
    const url = new URL(ds.jsonData.proxyUrl);
    expect(url.hostname in services).toBe(true);
    expect(Number(url.port)).toBe(Number(envOf(services[url.hostname]).FLOWATLAS_PORT));
    expect(ds.url).toBe(ds.jsonData.proxyUrl);
  });

  it('has dashboards whose every datasource reference is provisioned', () => {
    expect(dashboards.length).toBeGreaterThan(0);
    const known = new Map(dsProvisioning.datasources.map((d: any) => [d.uid, d.type]));
    const refs: any[] = [];
    const walk = (node: any) => {
      if (node && typeof node === 'object') {
        if (node.datasource && typeof node.datasource === 'object') {
          refs.push(node.datasource);
        }
        Object.values(node).forEach(walk);
      }
    };
    dashboards.forEach((d) => walk(d.json));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(known.get(ref.uid)).toBe(ref.type);
    }
  });

  it('stores dashboard queries in the current model version, and uses only defined variables', () => {
    for (const { file, json } of dashboards) {
      const variables = new Set(json.templating.list.map((v: any) => v.name));
      for (const panel of json.panels) {
        for (const target of panel.targets ?? []) {
          expect([file, panel.title, target.version]).toEqual([file, panel.title, FLOW_QUERY_VERSION]);
          expect(migrateQuery(target)).toEqual(target);
        }
        const used = JSON.stringify(panel).match(/\$(\w+)/g) ?? [];
        for (const v of used) {
          expect([file, panel.title, variables.has(v.slice(1))]).toEqual([file, panel.title, true]);
        }
      }
    }
  });

  it('walks the forensic story: step 1 ssh to the jump host by source, step 2 top flows of the suspect', () => {
    const forensics = dashboards.find((d) => d.json.title === 'Flow forensics')!.json;
    const step1 = forensics.panels.find((p: any) => p.title.startsWith('Step 1')).targets[0];
    expect(step1).toMatchObject({ mode: 'table', metric: 'flows', dimensions: ['src_ip', 'src_country'] });
    expect(step1.filter.rules).toContainEqual({ dimension: 'dst_port', op: '=', values: ['22'] });
    const step2 = forensics.panels.find((p: any) => p.title.startsWith('Step 2') && p.type === 'table').targets[0];
    expect(step2).toMatchObject({ mode: 'table', metric: 'bytes' });
    expect(step2.filter.rules).toContainEqual({ dimension: 'src_ip', op: '=', values: ['$suspect'] });
    // drill-down links in the frames add to this ad hoc variable
    expect(forensics.templating.list).toContainEqual(expect.objectContaining({ name: AD_HOC_VARIABLE, type: 'adhoc', datasource: { type: datasourcePlugin.id, uid: 'flowatlas' } }));
    const suspect = forensics.templating.list.find((v: any) => v.name === 'suspect');
    expect(suspect).toMatchObject({ type: 'query', datasource: { uid: 'flowatlas' } });
    expect(suspect.query).toMatch(/^src_ip where .*dst_port = 22/);
  });
});
