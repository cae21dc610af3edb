/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { FLOW_QUERY_VERSION, METRICS, pruneFilter } from './shared/flowQuery';
import { migrateQuery } from './datasource/migration';
import { parseVariableQuery } from './datasource/datasource';
import { DEFAULT_AD_HOC_VARIABLE as AD_HOC_VARIABLE } from './datasource/types';
import { DEFAULT_OPTIONS as GEO_DEFAULTS } from './panels/geo-topology/types';
import { DEFAULT_OPTIONS as CORRELATION_DEFAULTS } from './panels/correlation/types';
import {
  builtPlugins,
  compose as readCompose,
  envOf,
  expandDefaults,
  provisionedDashboards,
  read,
  ROOT,
  stepPanels,
  volumesOf,
  yaml,
} from './testing/provisioning';

// docker-compose.yml cannot run here (no Docker engine), so this checks that its pieces and the
// provisioning files refer to each other and to the repository: ports, service names, plugin ids,
// data source uids (dashboards and alert rules), panel types, mounted paths, environment
// variables. src/dashboards.test.ts runs every dashboard query on the demo.

const plugins = builtPlugins();
const app = plugins.find((p) => p.type === 'app')!;
const datasourcePlugin = plugins.find((p) => p.type === 'datasource')!;
const panelPlugins = plugins.filter((p) => p.type === 'panel');

const compose = readCompose();
const services = compose.services as Record<string, any>;
const dsProvisioning = yaml('provisioning/datasources/datasources.yml');
const appsProvisioning = yaml('provisioning/plugins/apps.yaml');
const envExample = Object.fromEntries(
  read('provisioning/flowatlas.env.example')
    .split('\n')
    .filter((l) => /^\w+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
);
const dashboards = provisionedDashboards();
const alertFiles = fs
  .readdirSync(path.join(ROOT, 'provisioning/alerting'))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({ file: f, doc: yaml(`provisioning/alerting/${f}`) }));

/** Grafana core panel types the dashboards may use (everything else must be a plugin built from src/). */
const CORE_PANEL_TYPES = new Set(['row', 'text', 'table', 'timeseries', 'bargauge', 'stat', 'gauge', 'barchart', 'nodeGraph']);
/** Grafana's own data source references besides the provisioned ones. */
const BUILT_IN_DATASOURCES = new Set(['__expr__', '-- Grafana --']);
/** The reader role of backend-proxy/src/db/migrations/005-reader-role.ts, read from its source. */
const READER_ROLE = /export const READER_ROLE = '(\w+)'/.exec(read('backend-proxy/src/db/migrations/005-reader-role.ts'))![1];

const oneShot = (s: any) => s.restart === 'no';
const longRunning = Object.entries(services).filter(([, s]) => !oneShot(s));

function publishedPorts(service: any): Array<{ host: number; container: number }> {
  return (service.ports ?? []).map((p: string) => {
    const [host, container] = String(p).split(':').map(Number);
    return { host, container };
  });
}

/** Every `${VAR…}` the compose file interpolates, with whether it has a default (`:-`) or is required (`:?`). */
function composeVariables(): Map<string, 'default' | 'required' | 'plain'> {
  const found = new Map<string, 'default' | 'required' | 'plain'>();
  for (const [, name, kind] of read('docker-compose.yml').matchAll(/\$\{(\w+)(:-|:\?)?[^}]*\}/g)) {
    found.set(name, kind === ':-' ? 'default' : kind === ':?' ? 'required' : 'plain');
  }
  return found;
}

/** Every `{uid, type}` data source reference in a dashboard. */
function datasourceRefs(node: any, out: any[] = []): any[] {
  if (node && typeof node === 'object') {
    if (node.datasource && typeof node.datasource === 'object') {
      out.push(node.datasource);
    }
    Object.values(node).forEach((v) => datasourceRefs(v, out));
  }
  return out;
}

/** A host path of a bind mount, resolved against the compose file's folder. */
const hostPath = (source: string) => path.join(ROOT, source);

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
  it('has the database, the proxy, Grafana and the two one-shot setup services', () => {
    expect(Object.keys(services).sort()).toEqual(['backend-proxy', 'demo-loader', 'grafana', 'timescaledb', 'timescaledb-reader']);
    expect(Object.keys(Object.fromEntries(longRunning)).sort()).toEqual(['backend-proxy', 'grafana', 'timescaledb']);
  });

  it('pins every pulled image; images built here come from the repository', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        expect(path.resolve(ROOT, service.build.context)).toBe(ROOT);
        expect([name, fs.existsSync(path.join(ROOT, service.build.context, service.build.dockerfile))]).toEqual([name, true]);
      } else {
        expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:\d[\w.-]*$/)]);
      }
    }
    expect(services.timescaledb.image).toMatch(/^timescale\/timescaledb:2\.\d+\.\d+-pg\d+$/);
    // psql of the same server version for the reader one-shot
    expect(services['timescaledb-reader'].image).toBe(services.timescaledb.image);
    // glibc image: the data source backend executable needs glibc (issue 10)
    expect(services.grafana.image).toBe('grafana/grafana:12.0.2-ubuntu');
    // the demo loader runs the proxy's own image (its compiled demo modules)
    expect(services['demo-loader'].build).toEqual(services['backend-proxy'].build);
    expect(services['demo-loader'].image).toBe(services['backend-proxy'].image);
  });

  it('health-checks every long-running service; one-shots run once and are waited for until they exit 0', () => {
    for (const [name, service] of longRunning) {
      expect([name, Array.isArray(service.healthcheck?.test), service.restart]).toEqual([name, true, 'unless-stopped']);
    }
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, cond] of Object.entries<any>(service.depends_on ?? {})) {
        expect([name, dep, dep in services]).toEqual([name, dep, true]);
        expect([name, dep, cond.condition]).toEqual([name, dep, oneShot(services[dep]) ? 'service_completed_successfully' : 'service_healthy']);
      }
    }
    expect(Object.keys(services['backend-proxy'].depends_on)).toEqual(['timescaledb']);
    // the one-shots need the proxy's migrations (the reader role, the tables) done
    expect(Object.keys(services['demo-loader'].depends_on)).toEqual(['backend-proxy']);
    expect(Object.keys(services['timescaledb-reader'].depends_on)).toEqual(['backend-proxy']);
    expect(Object.keys(services.grafana.depends_on).sort()).toEqual(['backend-proxy', 'demo-loader', 'timescaledb-reader']);
    // the proxy image's HEALTHCHECK would mark a loader that listens on nothing unhealthy
    expect(services['demo-loader'].healthcheck).toEqual({ disable: true });
  });

  it('points the proxy and the reader one-shot at the timescaledb service with its user, password and database', () => {
    const db = envOf(services.timescaledb);
    const url = new URL(expandDefaults(envOf(services['backend-proxy']).DATABASE_URL));
    expect(url.hostname).toBe('timescaledb');
    expect(url.port).toBe('5432');
    expect(url.username).toBe(db.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(expandDefaults(db.POSTGRES_PASSWORD));
    expect(url.pathname).toBe(`/${db.POSTGRES_DB}`);
    const reader = envOf(services['timescaledb-reader']);
    expect([reader.PGHOST, reader.PGPORT, reader.PGUSER, reader.PGPASSWORD, reader.PGDATABASE]).toEqual([
      'timescaledb',
      '5432',
      db.POSTGRES_USER,
      db.POSTGRES_PASSWORD,
      db.POSTGRES_DB,
    ]);
    expect(volumesOf(services.timescaledb)[0]).toMatchObject({ source: 'timescaledb-data', target: '/var/lib/postgresql/data' });
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['timescaledb-data', 'grafana-data']));
  });

  it('reports the database healthy only once it listens on TCP, where the proxy connects', () => {
    // The postgres entrypoint (the timescaledb image's) runs initdb and its init scripts on a
    // temporary server listening on the Unix socket only (listen_addresses=''): pg_isready without
    // a host asks that socket and says "accepting connections" while timescaledb:5432 refuses the
    // proxy (docker-library/postgres#440, #880). Over 127.0.0.1 it waits for the real server.
    const test: string = services.timescaledb.healthcheck.test.join(' ');
    const db = envOf(services.timescaledb);
    expect(test).toMatch(/\bpg_isready\b/);
    expect(test).toMatch(/(^|\s)(-h|--host)[ =](127\.0\.0\.1|localhost)(\s|$)/);
    expect(test).toContain(`-U ${db.POSTGRES_USER}`);
    expect(test).toContain(`-d ${db.POSTGRES_DB}`);
    const port = /(?:-p|--port)[ =](\d+)/.exec(test)?.[1];
    expect(port ?? '5432').toBe(new URL(expandDefaults(envOf(services['backend-proxy']).DATABASE_URL)).port);
  });

  it('publishes and health-checks the port the proxy listens on, and the loader calls it there', () => {
    const proxy = services['backend-proxy'];
    const env = envOf(proxy);
    const port = Number(env.FLOWATLAS_PORT);
    expect(publishedPorts(proxy)).toContainEqual({ host: port, container: port });
    expect(proxy.healthcheck.test.join(' ')).toContain(`127.0.0.1:${port}/api/health`);
    expect(env.FLOWATLAS_HOST).toBe('0.0.0.0');
    const loader = new URL(envOf(services['demo-loader']).FLOWATLAS_URL);
    expect([loader.hostname, Number(loader.port)]).toEqual(['backend-proxy', port]);
    // the proxy does not load the demo itself here: the loader does, once
    expect(env.FLOWATLAS_DEMO_FLOWS).toBe('0');
    expect(publishedPorts(services.grafana)).toContainEqual({ host: 3000, container: 3000 });
    expect(services.grafana.healthcheck.test.join(' ')).toContain('127.0.0.1:3000/api/health');
  });

  it('takes the token and every password from .env, and documents each in the example env file', () => {
    const token = envOf(services['backend-proxy']).FLOWATLAS_TOKEN;
    expect(token).toMatch(/^\$\{FLOWATLAS_TOKEN:\?/);
    expect(envOf(services.grafana).FLOWATLAS_TOKEN).toBe(token);
    expect(envOf(services['demo-loader']).FLOWATLAS_TOKEN).toBe(token);
    const variables = composeVariables();
    for (const [name, kind] of variables) {
      // required ones must be in the example; optional ones are documented there too
      expect([name, kind, name in envExample]).toEqual([name, kind, true]);
    }
    for (const name of ['FLOWATLAS_TOKEN', 'FLOWATLAS_READER_PASSWORD']) {
      expect([name, variables.get(name)]).toEqual([name, 'required']);
    }
  });

  it('builds the proxy from a multi-stage, non-root Dockerfile whose paths exist', () => {
    const build = services['backend-proxy'].build;
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
    // the build context keeps what the image needs
    const ignore = read(`${build.dockerfile}.dockerignore`);
    expect(ignore).not.toMatch(/^backend-proxy\/?$/m);
  });

  it('mounts only paths that exist (or that the build makes), read-only, and runs the mounted one-shot scripts', () => {
    // dist/ is made by `npm run build` (the next test checks it is the bundler's output folder)
    const built = `./${/DIST_DIR = '([^']+)'/.exec(read('.config/bundler/constants.ts'))![1]}`;
    for (const [name, service] of Object.entries(services)) {
      for (const m of volumesOf(service).filter((v) => v.source.startsWith('./'))) {
        const exists = m.source === built || fs.existsSync(hostPath(m.source));
        expect([name, m.source, exists, m.readOnly]).toEqual([name, m.source, true, true]);
      }
      for (const m of volumesOf(service).filter((v) => !v.source.startsWith('./') && !v.source.startsWith('/'))) {
        expect([name, m.source, m.source in compose.volumes]).toEqual([name, m.source, true]);
      }
    }
    const mountedAt = (service: string, target: string) => volumesOf(services[service]).find((m) => m.target === target)?.source;
    const loaderScript = services['demo-loader'].command.at(-1);
    expect(mountedAt('demo-loader', loaderScript)).toBe('./provisioning/demo/load-demo.mjs');
    const readerScript = services['timescaledb-reader'].entrypoint.at(-1);
    expect(mountedAt('timescaledb-reader', readerScript)).toBe('./provisioning/timescaledb/reader-login.sh');
  });

  it('the demo loader imports modules the proxy image has, with the names they export', () => {
    const script = read('provisioning/demo/load-demo.mjs');
    expect(script).toMatch(/FLOWATLAS_PROXY_DIST \|\| '\/app\/backend-proxy\/dist'/);
    // the image's WORKDIR/COPY put backend-proxy/dist at /app/backend-proxy/dist
    expect(read('backend-proxy/Dockerfile')).toMatch(/^COPY --from=build --chown=node:node \/app\/backend-proxy\/dist \.\/backend-proxy\/dist$/m);
    for (const [, file, names] of [
      [null, 'demo/generate', ['planDemo']],
      [null, 'demo/load', ['loadDemo']],
      [null, 'enrich/geo', ['sharedGeoLocator']],
    ] as Array<[null, string, string[]]>) {
      expect(script).toContain(`load('${file}.js')`);
      const source = read(`backend-proxy/src/${file}.ts`);
      for (const name of names) {
        expect([file, name, new RegExp(`export (async )?function ${name}\\b`).test(source)]).toEqual([file, name, true]);
      }
    }
  });

  it('lets the reader one-shot create or alter exactly the role the migrations grant', () => {
    const script = read('provisioning/timescaledb/reader-login.sh');
    expect(script).toMatch(new RegExp(`CREATE ROLE ${READER_ROLE} NOLOGIN`));
    expect(script).toMatch(new RegExp(`ALTER ROLE ${READER_ROLE} WITH LOGIN PASSWORD :'password'`));
    // the password is a psql variable (quoted by psql), never pasted into the SQL text
    expect(script).toMatch(/-v password="\$FLOWATLAS_READER_PASSWORD"/);
    expect(script).toMatch(/<<'SQL'/);
  });

  it('mounts the built plugin under the app id and allows every plugin unsigned', () => {
    const mounts = volumesOf(services.grafana);
    const distDir = /DIST_DIR = '([^']+)'/.exec(read('.config/bundler/constants.ts'))![1];
    expect(mounts).toContainEqual({ source: `./${distDir}`, target: `/var/lib/grafana/plugins/${app.id}`, readOnly: true });
    const allowed = envOf(services.grafana).GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',');
    for (const p of plugins) {
      expect([p.file, allowed.includes(p.id)]).toEqual([p.file, true]);
    }
    for (const id of allowed) {
      expect([id, plugins.some((p) => p.id === id)]).toEqual([id, true]);
    }
  });

  it('mounts provisioning from the repository where Grafana reads it, with the home dashboard in it', () => {
    const mount = volumesOf(services.grafana).find((m) => m.target === '/etc/grafana/provisioning');
    expect(mount).toBeDefined();
    expect(fs.statSync(hostPath(mount!.source)).isDirectory()).toBe(true);
    const home = envOf(services.grafana).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(fs.existsSync(path.join(ROOT, mount!.source, path.relative(mount!.target, home)))).toBe(true);
  });

  it('offers anonymous read-only access for the NOC wall, off unless .env turns it on', () => {
    const env = envOf(services.grafana);
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('${FLOWATLAS_ANONYMOUS_VIEWER:-false}');
    expect(env.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Viewer');
    expect(envExample.FLOWATLAS_ANONYMOUS_VIEWER).toBe('false');
  });
});

describe('provisioning', () => {
  const provisioned = new Map<string, string>(dsProvisioning.datasources.map((d: any) => [d.uid, d.type]));

  it('enables the app by its plugin id', () => {
    expect(appsProvisioning.apps).toEqual([expect.objectContaining({ type: app.id, disabled: false })]);
  });

  it('provisions the FlowAtlas data source with uid flowatlas at the proxy service', () => {
    const ds = dsProvisioning.datasources.find((d: any) => d.uid === 'flowatlas');
    expect(ds).toMatchObject({ type: datasourcePlugin.id, access: 'proxy', isDefault: true });
    const url = new URL(ds.jsonData.proxyUrl);
    expect(url.hostname in services).toBe(true);
    expect(Number(url.port)).toBe(Number(envOf(services[url.hostname]).FLOWATLAS_PORT));
    expect(ds.url).toBe(ds.jsonData.proxyUrl);
    expect(ds.secureJsonData.token).toBe('$FLOWATLAS_TOKEN');
    // Grafana's data source proxy reads jsonData.timeout (else it cuts at 30 s): it must outlast
    // the proxy's own statement timeout, so a slow query ends in the proxy's 503 that says why.
    const proxyQueryTimeoutMs = Number(envOf(services[url.hostname]).FLOWATLAS_QUERY_TIMEOUT_MS ?? 30_000);
    expect(ds.jsonData.timeout * 1000).toBeGreaterThan(proxyQueryTimeoutMs);
    expect(ds.jsonData.timeoutSeconds).toBeUndefined();
  });

  it('provisions the SQL alert data source as the read-only role on the timescaledb service', () => {
    const ds = dsProvisioning.datasources.find((d: any) => d.uid === 'flowatlas-timescaledb');
    expect(ds).toMatchObject({ type: 'grafana-postgresql-datasource', user: READER_ROLE, isDefault: false });
    const [host, port] = ds.url.split(':');
    expect([host in services, services[host]?.image]).toEqual([true, services.timescaledb.image]);
    expect(port).toBe('5432');
    expect(ds.jsonData.database).toBe(envOf(services.timescaledb).POSTGRES_DB);
    expect(ds.jsonData.timescaledb).toBe(true);
    expect(ds.secureJsonData.password).toBe('$FLOWATLAS_READER_PASSWORD');
  });

  it('expands only variables the grafana service has', () => {
    const env = envOf(services.grafana);
    const strings = (node: any): string[] =>
      typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(strings) : [];
    const used = strings(dsProvisioning).flatMap((v) => [...v.matchAll(/\$\{?(\w+)/g)].map((m) => m[1]));
    expect(used.sort()).toEqual(['FLOWATLAS_READER_PASSWORD', 'FLOWATLAS_TOKEN']);
    for (const name of used) {
      expect([name, name in env]).toEqual([name, true]);
    }
  });

  it('gives every alert rule a provisioned data source and an existing folder layout', () => {
    expect(alertFiles.map((f) => f.file).sort()).toEqual(['flowatlas-datasource-rules.yaml', 'flowatlas-rules.yaml']);
    const uids = new Set<string>();
    for (const { file, doc } of alertFiles) {
      expect([file, doc.apiVersion]).toEqual([file, 1]);
      for (const group of doc.groups) {
        for (const rule of group.rules) {
          expect([file, rule.uid, uids.has(rule.uid)]).toEqual([file, rule.uid, false]);
          uids.add(rule.uid);
          const refIds = new Set(rule.data.map((q: any) => q.refId));
          expect([rule.uid, refIds.has(rule.condition)]).toEqual([rule.uid, true]);
          for (const q of rule.data) {
            const known = BUILT_IN_DATASOURCES.has(q.datasourceUid) || provisioned.has(q.datasourceUid);
            expect([rule.uid, q.refId, q.datasourceUid, known]).toEqual([rule.uid, q.refId, q.datasourceUid, true]);
            if (q.datasourceUid === '__expr__') {
              expect([rule.uid, refIds.has(q.model.expression)]).toEqual([rule.uid, true]);
            }
            if (provisioned.get(q.datasourceUid) === datasourcePlugin.id) {
              // FlowAtlas queries in alert rules are stored in the current model version
              expect([rule.uid, q.model.version]).toEqual([rule.uid, FLOW_QUERY_VERSION]);
            }
          }
        }
      }
    }
    // the SQL rules read through the reader data source
    const sql = alertFiles.find((f) => f.file === 'flowatlas-rules.yaml')!.doc;
    const dataSources = sql.groups.flatMap((g: any) => g.rules.flatMap((r: any) => r.data.map((q: any) => q.datasourceUid)));
    expect(new Set(dataSources)).toEqual(new Set(['flowatlas-timescaledb', '__expr__']));
  });

  it('loads dashboards from the folder they are in, with unique uids and links between them that resolve', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual(['flowatlas-forensics', 'flowatlas-noc']);
    const uids = new Set(dashboards.map((d) => d.json.uid));
    for (const { file, json } of dashboards) {
      for (const link of json.links ?? []) {
        const target = /^\/d\/([\w-]+)\//.exec(link.url);
        expect([file, link.url, Boolean(target && uids.has(target[1]))]).toEqual([file, link.url, true]);
      }
    }
  });

  describe.each(dashboards.map((d) => [d.file, d.json]))('%s', (file, json) => {
    const panels: any[] = json.panels;

    it('references only provisioned data sources, with their types', () => {
      const refs = datasourceRefs(json);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect([ref.uid, provisioned.get(ref.uid)]).toEqual([ref.uid, ref.type]);
      }
    });

    it('uses panel types that are Grafana core panels or panel plugins built from src/', () => {
      for (const panel of panels) {
        const known = CORE_PANEL_TYPES.has(panel.type) || panelPlugins.some((p) => p.id === panel.type);
        expect([panel.title, panel.type, known]).toEqual([panel.title, panel.type, true]);
      }
    });

    it('sets only options the FlowAtlas panels have', () => {
      const optionsOf: Record<string, object> = {
        'flowatlas-geotopology-panel': GEO_DEFAULTS,
        'flowatlas-correlation-panel': CORRELATION_DEFAULTS,
      };
      expect(Object.keys(optionsOf).sort()).toEqual(panelPlugins.map((p) => p.id).sort());
      for (const panel of panels.filter((p) => optionsOf[p.type])) {
        const unknown = Object.keys(panel.options ?? {}).filter((k) => !(k in optionsOf[panel.type]));
        expect([panel.title, unknown]).toEqual([panel.title, []]);
      }
    });

    it('lays panels out on the 24-column grid without overlaps, ids unique, a description on every data panel', () => {
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const cells = new Set<string>();
      for (const p of panels) {
        const { x, y, w, h } = p.gridPos;
        expect([p.title, x >= 0 && w > 0 && x + w <= 24 && h > 0]).toEqual([p.title, true]);
        for (let i = x; i < x + w; i++) {
          for (let j = y; j < y + h; j++) {
            expect([p.title, `${i},${j}`, cells.has(`${i},${j}`)]).toEqual([p.title, `${i},${j}`, false]);
            cells.add(`${i},${j}`);
          }
        }
        if (p.targets?.length) {
          expect([p.title, (p.description ?? '').length > 40]).toEqual([p.title, true]);
        }
      }
    });

    it('stores queries in the current model version on the panel\'s data source, with complete filters', () => {
      for (const panel of panels.filter((p) => p.targets)) {
        expect([panel.title, panel.targets.length > 0]).toEqual([panel.title, true]);
        for (const target of panel.targets) {
          expect([panel.title, target.version]).toEqual([panel.title, FLOW_QUERY_VERSION]);
          expect(migrateQuery(target)).toEqual(target);
          expect([panel.title, target.datasource]).toEqual([panel.title, panel.datasource]);
          // a half-written rule would be dropped silently at run time
          expect([panel.title, pruneFilter(target.filter) ?? { op: 'and', rules: [] }]).toEqual([panel.title, target.filter]);
        }
      }
    });

    it('uses only defined variables, and each variable query only the variables before it', () => {
      const list: any[] = json.templating.list;
      const defined = new Set(list.map((v) => v.name));
      for (const panel of panels) {
        for (const v of JSON.stringify(panel).match(/\$(\w+)/g) ?? []) {
          // ${__data.fields.…} is Grafana's row macro, not a variable
          if (v !== '$__data') {
            expect([panel.title, v, defined.has(v.slice(1))]).toEqual([panel.title, v, true]);
          }
        }
      }
      list
        .filter((v) => v.type === 'query')
        .forEach((v, i, queries) => {
          expect([v.name, v.datasource]).toEqual([v.name, { type: datasourcePlugin.id, uid: 'flowatlas' }]);
          const earlier = new Set(queries.slice(0, i).map((q) => q.name));
          for (const ref of v.query.match(/\$(\w+)/g) ?? []) {
            expect([v.name, ref, earlier.has(ref.slice(1))]).toEqual([v.name, ref, true]);
          }
          const parsed = parseVariableQuery(v.query);
          expect([v.name, parsed.dimension.length > 0]).toEqual([v.name, true]);
          if (parsed.metric) {
            expect([v.name, METRICS.some((m) => m.value === parsed.metric)]).toEqual([v.name, true]);
          }
          // story variables are re-resolved when the time range changes; the map's drill-down
          // variables once per load (a clicked internet country is no option and must survive a
          // refresh); values keep the data source's ranking
          expect([v.name, v.refresh, v.sort, v.definition]).toEqual([v.name, v.includeAll ? 1 : 2, 0, v.query]);
        });
    });
  });

  describe.each(dashboards.map((d) => [d.json.title, d.json]))('"%s": a click on the map drills the dashboard down', (_title, json: any) => {
    const list: any[] = json.templating.list;
    const maps = json.panels.filter((p: any) => p.type === 'flowatlas-geotopology-panel');

    it('defines the variables its geo panels set, each defaulting to All (no filter)', () => {
      expect(maps.length).toBeGreaterThan(0);
      for (const map of maps) {
        for (const name of [map.options.nodeVariable, map.options.srcVariable, map.options.dstVariable]) {
          const v = list.find((x) => x.name === name);
          expect([map.title, name, v && { type: v.type, includeAll: v.includeAll, multi: v.multi, current: v.current.value }]).toEqual([
            map.title,
            name,
            { type: 'query', includeAll: true, multi: false, current: '$__all' },
          ]);
          // Grafana passes a custom All value verbatim: '%' makes every `like $var` rule match any value
          expect([name, v.allValue]).toEqual([name, '%']);
        }
      }
      // drill-down links in the frames add to this ad hoc variable
      expect(list).toContainEqual(expect.objectContaining({ name: AD_HOC_VARIABLE, type: 'adhoc', datasource: { type: datasourcePlugin.id, uid: 'flowatlas' } }));
    });

    it('filters other panels by those variables with `like` only (All = %), never the map itself', () => {
      const names = new Set(maps.flatMap((m: any) => [m.options.nodeVariable, m.options.srcVariable, m.options.dstVariable]));
      const rules = (node: any): any[] => (node.rules ? node.rules.flatMap(rules) : [node]);
      const users = json.panels.filter((p: any) =>
        (p.targets ?? []).some((t: any) => rules(t.filter).some((r) => r.values.some((x: string) => names.has(x.replace(/^\$/, '')))))
      );
      expect(users.length).toBeGreaterThan(0);
      for (const panel of users) {
        expect([panel.title, panel.type === 'flowatlas-geotopology-panel']).toEqual([panel.title, false]);
        for (const r of panel.targets.flatMap((t: any) => rules(t.filter)).filter((x: any) => x.values.some((v: string) => names.has(v.replace(/^\$/, ''))))) {
          expect([panel.title, r.dimension, r.op]).toEqual([panel.title, r.dimension, 'like']);
        }
      }
    });
  });

  describe('Flow forensics', () => {
    const forensics = () => dashboards.find((d) => d.json.uid === 'flowatlas-forensics')!.json;
    const variable = (name: string) => forensics().templating.list.find((v: any) => v.name === name);

    it('has one row per step of forensic-scenario.md, each with its panels', () => {
      const steps = [...read('docs/forensic-scenario.md').matchAll(/\| step (\d):/g)].map((m) => Number(m[1]));
      expect(steps).toEqual([1, 2, 3, 4, 5]);
      for (const step of steps) {
        expect([step, stepPanels(forensics(), step).length > 0]).toEqual([step, true]);
      }
    });

    it('fills target host, suspect source and inside host from variable queries', () => {
      expect(variable('jump_host').query).toMatch(/^dst_ip where .*dst_port = 22/);
      expect(variable('suspect').query).toMatch(/^src_ip where .*dst_port = 22.* dst_ip = \$jump_host/);
      expect(variable('inside_host').query).toMatch(/^dst_ip by unique_dst_ports where src_ip = \$jump_host .*dst_ip != \$suspect/);
      // drill-down links in the frames add to this ad hoc variable
      expect(forensics().templating.list).toContainEqual(expect.objectContaining({ name: AD_HOC_VARIABLE, type: 'adhoc', datasource: { type: datasourcePlugin.id, uid: 'flowatlas' } }));
    });

    it('step 1 ranks ssh sources of the target host; step 2 the suspect\'s flows by bytes', () => {
      const [step1] = stepPanels(forensics(), 1).filter((p) => p.type === 'table').map((p) => p.targets[0]);
      expect(step1).toMatchObject({ mode: 'table', metric: 'flows', dimensions: ['src_ip', 'src_country'] });
      expect(step1.filter.rules).toEqual(expect.arrayContaining([{ dimension: 'dst_port', op: '=', values: ['22'] }, { dimension: 'dst_ip', op: '=', values: ['$jump_host'] }]));
      const [step2] = stepPanels(forensics(), 2).filter((p) => p.type === 'table').map((p) => p.targets[0]);
      expect(step2).toMatchObject({ mode: 'table', metric: 'bytes', bidirectional: true });
      expect(step2.filter.rules).toContainEqual({ dimension: 'src_ip', op: '=', values: ['$suspect'] });
    });

    it('step 3 shows lateral traffic and the ports per inside host; step 4 correlates two queries; step 5 maps the border crossing', () => {
      const step3 = stepPanels(forensics(), 3).map((p) => p.targets[0]);
      expect(step3).toContainEqual(expect.objectContaining({ metric: 'unique_dst_ports', dimensions: expect.arrayContaining(['dst_ip']) }));
      expect(step3).toContainEqual(expect.objectContaining({ dimensions: expect.arrayContaining(['dst_port']), filter: expect.objectContaining({ rules: expect.arrayContaining([{ dimension: 'dst_ip', op: '=', values: ['$inside_host'] }]) }) }));
      const [correlation] = stepPanels(forensics(), 4).filter((p) => p.type === 'flowatlas-correlation-panel');
      expect(correlation.options).toMatchObject({ source: 'queries', refIdA: 'A', refIdB: 'B' });
      expect(correlation.targets.map((t: any) => [t.refId, t.mode])).toEqual([
        ['A', 'timeseries'],
        ['B', 'timeseries'],
      ]);
      const [map] = stepPanels(forensics(), 5).filter((p) => p.type === 'flowatlas-geotopology-panel');
      expect(map.targets[0]).toMatchObject({ mode: 'topology' });
      expect(map.options.markBorderCrossing).toBe(true);
    });
  });

  describe('NOC wall', () => {
    const noc = () => dashboards.find((d) => d.json.uid === 'flowatlas-noc')!.json;

    it('refreshes every 30 s and fits one 1080p kiosk screen', () => {
      expect(noc().refresh).toBe('30s');
      // Grafana's grid: 30 px rows + 8 px gaps; kiosk mode leaves the whole 1080 px to panels
      const rows = Math.max(...noc().panels.map((p: any) => p.gridPos.y + p.gridPos.h));
      expect(rows * 38).toBeLessThanOrEqual(1080);
      expect(noc().templating.list.map((v: any) => v.name)).toEqual(['site', 'src_site', 'dst_site', AD_HOC_VARIABLE]);
    });

    it('shows the map large in NOC mode, top talkers, denied by source country, leaving each country and ingest health', () => {
      const panels: any[] = noc().panels;
      const [map] = panels.filter((p) => p.type === 'flowatlas-geotopology-panel');
      expect(map.options.nocMode).toBe(true);
      const area = (p: any) => p.gridPos.w * p.gridPos.h;
      expect(panels.every((p) => p === map || area(p) < area(map))).toBe(true);
      const targets = panels.map((p) => p.targets[0]);
      expect(targets).toContainEqual(expect.objectContaining({ mode: 'table', metric: 'bits_per_second', dimensions: expect.arrayContaining(['src_ip']) }));
      expect(targets).toContainEqual(expect.objectContaining({ dimensions: ['src_country'], filter: expect.objectContaining({ rules: expect.arrayContaining([{ dimension: 'action', op: '=', values: ['deny'] }]) }) }));
      expect(targets).toContainEqual(expect.objectContaining({ mode: 'topology', level: 'country' }));
      expect(targets).toContainEqual(expect.objectContaining({ metric: 'flows_per_second', dimensions: ['source_type'] }));
      // legible across a room: big bar gauge text
      for (const p of panels.filter((x) => x.type === 'bargauge')) {
        expect([p.title, p.options.text.valueSize >= 20]).toEqual([p.title, true]);
      }
    });
  });
});

it('keeps the example env file parseable as a compose env file (KEY=value lines and comments only)', () => {
  for (const line of read('provisioning/flowatlas.env.example').split('\n')) {
    expect([line, line === '' || line.startsWith('#') || /^\w+=\S*$/.test(line)]).toEqual([line, true]);
  }
  // and the compose file itself is YAML 1.2 with merge keys, which docker compose reads
  expect(() => parse(read('docker-compose.yml'), { merge: true })).not.toThrow();
});
