import type { DemoTuple } from './nsg-tuples.js';
import { nsgBlob } from './nsg-tuples.js';
import { Random } from './random.js';
import { buildScenario, randomPublicIPv4, type Scenario } from './scenario.js';

/**
 * Deterministic demo data: three weeks of background traffic for the five sites of the demo
 * estate plus the forensic scenario, as Azure NSG v2 blobs (the same bytes a storage account
 * would hold), to be ingested through the HTTP route like real logs.
 */
export interface DemoOptions {
  seed: number;
  /** Approximate number of flow tuples in total (background + scenario). */
  flows: number;
  now: number;
  days?: number;
  /** Hours of logs per generated body. */
  hoursPerBody?: number;
  locate?: (ip: string) => string | null;
  /** false: background traffic only (the same background as with the scenario), e.g. to check alert rules stay quiet. */
  scenario?: boolean;
}

export interface DemoBody {
  /** A name like an Azure blob path, used as the ingest `source` (idempotent re-runs). */
  source: string;
  json: string;
  tuples: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const SUBSCRIPTION = '7d4b2c9e-1f3a-4c55-9e2b-0a1b2c3d4e5f';

interface Host {
  ip: string;
  nsg: string;
  mac: string;
}

function hostsOf(prefix: string, thirdOctets: number[], count: number, nsg: string, rng: Random): Host[] {
  const hosts: Host[] = [];
  const seen = new Set<string>();
  while (hosts.length < count) {
    const ip = `${prefix}.${rng.pick(thirdOctets)}.${rng.int(10, 250)}`;
    if (seen.has(ip)) continue;
    seen.add(ip);
    hosts.push({ ip, nsg, mac: Array.from({ length: 6 }, () => rng.int(0, 255).toString(16).padStart(2, '0')).join('').toUpperCase() });
  }
  return hosts;
}

/** Short TCP/UDP exchange: B at start, E a few seconds later with counters for both directions. */
function shortFlow(out: DemoTuple[], base: Omit<DemoTuple, 'ts' | 'state' | 'counters'>, startSec: number, c: [number, number, number, number], durationSec: number): void {
  out.push({ ...base, ts: startSec, state: 'B', counters: null });
  out.push({ ...base, ts: startSec + durationSec, state: 'E', counters: c });
}

/** Long flow: B, then one C per minute with the given per-minute counters, then E. */
function longFlow(out: DemoTuple[], base: Omit<DemoTuple, 'ts' | 'state' | 'counters'>, startSec: number, perMinute: [number, number, number, number][]): void {
  out.push({ ...base, ts: startSec, state: 'B', counters: null });
  perMinute.forEach((c, i) => {
    out.push({ ...base, ts: startSec + (i + 1) * 60, state: i === perMinute.length - 1 ? 'E' : 'C', counters: c });
  });
}

export interface DemoPlan {
  scenario: Scenario;
  bodies(): Generator<DemoBody>;
  startMs: number;
  endMs: number;
}

export function planDemo(options: DemoOptions): DemoPlan {
  const days = options.days ?? 21;
  const hoursPerBody = options.hoursPerBody ?? 4;
  const scenario = buildScenario({ seed: options.seed, now: options.now, locate: options.locate });
  const endMs = Math.floor(options.now / HOUR) * HOUR;
  const startMs = endMs - days * 24 * HOUR;
  const hours = days * 24;

  const setup = new Random(options.seed ^ 0xbacc);
  const jump: Host = { ip: scenario.jumpHost, nsg: 'eastus-jumphost-nsg', mac: '000D3A1F2B3C' };
  const db: Host = { ip: scenario.dbHost, nsg: 'eastus-jumphost-nsg', mac: '000D3A1F2B3C' };
  const eastWeb = hostsOf('10.10', [1, 2, 3], 12, 'eastus-web-nsg', setup).filter((h) => h.ip !== jump.ip);
  const eastApp = hostsOf('10.10', [2, 4], 10, 'eastus-app-nsg', setup);
  const eastDb = hostsOf('10.10', [5, 6, 7, 8, 9], 6, 'eastus-data-nsg', setup).filter((h) => h.ip !== db.ip);
  const weWeb = hostsOf('10.20', [1, 2], 10, 'westeurope-web-nsg', setup);
  const weDb = hostsOf('10.20', [5], 4, 'westeurope-data-nsg', setup);
  const awsApp = hostsOf('10.30', [1, 2, 3], 10, 'uswest2-app-nsg', setup);
  const awsBackup = hostsOf('10.30', [9], 3, 'uswest2-backup-nsg', setup);
  const dcServers = hostsOf('172.16', [10, 20], 10, 'chicago-dc-nsg', setup);
  const dcBackup = hostsOf('172.16', [20], 3, 'chicago-dc-nsg', setup);
  const londonUsers = hostsOf('172.20', [10, 11], 25, 'london-branch-nsg', setup);
  const dns: Host = { ip: '172.16.0.53', nsg: 'chicago-dc-nsg', mac: '00155D0A0035' };
  const webTier = [...eastWeb, ...weWeb, ...awsApp];
  const publicHosts = [...webTier, jump];
  // A stable population of internet clients and scanners, so top-N lists look like real ones.
  const webClients = Array.from({ length: 400 }, () => randomPublicIPv4(setup));
  const scanners = Array.from({ length: 120 }, () => randomPublicIPv4(setup)).filter((ip) => ip !== scenario.attacker);

  const storyTuples = scenarioFlows(scenario, jump, db, scanners, new Random(options.seed ^ 0xa77ac));
  // Background tuples per hour so that background + scenario ≈ options.flows (counted even when
  // the scenario is left out, so the background stays the same).
  const perHour = Math.max(4, (options.flows - storyTuples.length) / hours);
  const scenarioTuples = options.scenario === false ? [] : storyTuples;

  function backgroundHour(hourStart: number, rng: Random): DemoTuple[] {
    const out: DemoTuple[] = [];
    const hourOfDay = new Date(hourStart).getUTCHours();
    // Business-hours shape (peaks at 14-16 UTC: Europe afternoon, US morning); averages 0.55.
    const diurnal = 0.55 + 0.45 * Math.sin(((hourOfDay - 8) / 24) * 2 * Math.PI);
    const target = rng.poisson((perHour * diurnal) / 0.55);
    const sec = (): number => Math.floor((hourStart + rng.int(0, HOUR - 61_000)) / 1000);
    const eph = (): number => rng.int(32768, 60999);
    while (out.length < target) {
      const kind = rng.next();
      if (kind < 0.3) {
        // Internet users → public web tier over https.
        const h = rng.pick(webTier);
        const up = rng.int(800, 8000);
        shortFlow(out, { nsg: h.nsg, rule: 'UserRule_AllowHttpsInbound', mac: h.mac, src: rng.pick(webClients), dst: h.ip, sport: eph(), dport: 443, proto: 'T', dir: 'I', action: 'A' }, sec(), [rng.int(8, 40), up, rng.int(10, 120), up * rng.int(3, 40)], rng.int(1, 40));
      } else if (kind < 0.45) {
        // Internet noise: scanners knocking on closed ports, denied.
        const h = rng.pick(publicHosts);
        const port = rng.pick([23, 445, 3389, 1433, 8080, 5900, 6379, 9200, rng.int(1, 65535)]);
        out.push({ nsg: h.nsg, rule: 'DefaultRule_DenyAllInBound', mac: h.mac, ts: sec(), src: rng.pick(scanners), dst: h.ip, sport: eph(), dport: port, proto: rng.chance(0.9) ? 'T' : 'U', dir: 'I', action: 'D', state: 'B', counters: null });
      } else if (kind < 0.47) {
        // The background ssh noise every public host sees: a scanner tries a password or two.
        // Only the jump host allows ssh; elsewhere the default rule denies it, and NSG writes a denied
        // flow as one B tuple without counters (an E tuple with bytes would be a denied flow that moved data).
        const h = rng.chance(0.5) ? jump : rng.pick(publicHosts);
        if (h === jump) {
          shortFlow(out, { nsg: h.nsg, rule: 'UserRule_AllowSshInbound', mac: h.mac, src: rng.pick(scanners), dst: h.ip, sport: eph(), dport: 22, proto: 'T', dir: 'I', action: 'A' }, sec(), [rng.int(5, 9), rng.int(300, 900), rng.int(4, 8), rng.int(300, 1100)], rng.int(1, 6));
        } else {
          out.push({ nsg: h.nsg, rule: 'DefaultRule_DenyAllInBound', mac: h.mac, ts: sec(), src: rng.pick(scanners), dst: h.ip, sport: eph(), dport: 22, proto: 'T', dir: 'I', action: 'D', state: 'B', counters: null });
        }
      } else if (kind < 0.62) {
        // Everyone resolves names at the data center's DNS server.
        const h = rng.pick([...eastApp, ...weWeb, ...awsApp, ...londonUsers, ...dcServers]);
        shortFlow(out, { nsg: dns.nsg, rule: 'UserRule_AllowDns', mac: dns.mac, src: h.ip, dst: dns.ip, sport: eph(), dport: 53, proto: 'U', dir: 'I', action: 'A' }, sec(), [1, rng.int(60, 90), 1, rng.int(90, 300)], 0);
      } else if (kind < 0.77) {
        // Branch users work in West Europe apps and on Chicago file servers.
        const u = rng.pick(londonUsers);
        const toWe = rng.chance(0.6);
        const h = toWe ? rng.pick(weWeb) : rng.pick(dcServers);
        const port = toWe ? 443 : 445;
        const up = rng.int(2000, 30000);
        shortFlow(out, { nsg: u.nsg, rule: 'UserRule_AllowBranchOut', mac: u.mac, src: u.ip, dst: h.ip, sport: eph(), dport: port, proto: 'T', dir: 'O', action: 'A' }, sec(), [rng.int(20, 200), up, rng.int(20, 400), up * rng.int(2, 30)], rng.int(2, 50));
      } else if (kind < 0.87) {
        // App tiers talk to their databases inside each region.
        const east = rng.chance(0.6);
        const app = east ? rng.pick(eastApp) : rng.pick(weWeb);
        const dbh = east ? rng.pick(eastDb) : rng.pick(weDb);
        const port = rng.pick([3306, 5432, 6379]);
        shortFlow(out, { nsg: dbh.nsg, rule: 'UserRule_AllowAppToDb', mac: dbh.mac, src: app.ip, dst: dbh.ip, sport: eph(), dport: port, proto: 'T', dir: 'I', action: 'A' }, sec(), [rng.int(4, 40), rng.int(400, 6000), rng.int(4, 60), rng.int(800, 90000)], rng.int(0, 5));
      } else if (kind < 0.93) {
        // Servers fetch updates from the internet.
        const h = rng.pick([...eastApp, ...awsApp, ...dcServers]);
        shortFlow(out, { nsg: h.nsg, rule: 'DefaultRule_AllowInternetOutBound', mac: h.mac, src: h.ip, dst: rng.pick(webClients), sport: eph(), dport: 443, proto: 'T', dir: 'O', action: 'A' }, sec(), [rng.int(10, 60), rng.int(1000, 5000), rng.int(20, 400), rng.int(20000, 900000)], rng.int(1, 30));
      } else if (kind < 0.97) {
        // Cross-site replication: East US databases to West Europe, Chicago to Oregon.
        const fromEast = rng.chance(0.5);
        const a = fromEast ? rng.pick(eastDb) : rng.pick(dcServers);
        const b = fromEast ? rng.pick(weDb) : rng.pick(awsApp);
        const bytes = rng.int(200_000, 4_000_000);
        shortFlow(out, { nsg: a.nsg, rule: 'UserRule_AllowReplication', mac: a.mac, src: a.ip, dst: b.ip, sport: eph(), dport: fromEast ? 3306 : 5432, proto: 'T', dir: 'O', action: 'A' }, sec(), [Math.ceil(bytes / 1400), bytes, Math.ceil(bytes / 14000), Math.ceil(bytes / 20)], rng.int(5, 55));
      } else {
        // Admins at the branch use the jump host, which reaches app servers over ssh.
        const admin = rng.pick(londonUsers.slice(0, 3));
        if (rng.chance(0.5)) {
          shortFlow(out, { nsg: jump.nsg, rule: 'UserRule_AllowSshInbound', mac: jump.mac, src: admin.ip, dst: jump.ip, sport: eph(), dport: 22, proto: 'T', dir: 'I', action: 'A' }, sec(), [rng.int(100, 900), rng.int(10_000, 90_000), rng.int(100, 900), rng.int(20_000, 400_000)], rng.int(30, 58));
        } else {
          const appServer = rng.pick(eastApp);
          shortFlow(out, { nsg: jump.nsg, rule: 'UserRule_AllowVnetOut', mac: jump.mac, src: jump.ip, dst: appServer.ip, sport: eph(), dport: 22, proto: 'T', dir: 'O', action: 'A' }, sec(), [rng.int(50, 400), rng.int(5_000, 40_000), rng.int(50, 400), rng.int(10_000, 200_000)], rng.int(20, 58));
        }
      }
    }
    // Nightly backups from Chicago to Oregon: a few large long transfers at 01:00-02:59 UTC.
    if (hourOfDay === 1 || hourOfDay === 2) {
      const src = rng.pick(dcBackup);
      const dst = rng.pick(awsBackup);
      const minutes = Array.from({ length: rng.int(20, 45) }, (): [number, number, number, number] => {
        const b = rng.int(40_000_000, 120_000_000);
        return [Math.ceil(b / 1400), b, Math.ceil(b / 2800), Math.ceil(b / 50)];
      });
      longFlow(out, { nsg: src.nsg, rule: 'UserRule_AllowBackup', mac: src.mac, src: src.ip, dst: dst.ip, sport: eph(), dport: 873, proto: 'T', dir: 'O', action: 'A' }, Math.floor((hourStart + 5 * MINUTE) / 1000), minutes);
    }
    return out;
  }

  function* bodies(): Generator<DemoBody> {
    const byHour = new Map<number, DemoTuple[]>();
    for (const t of scenarioTuples) {
      const h = Math.floor((t.ts * 1000 - startMs) / HOUR);
      if (h < 0 || h >= hours) continue;
      let list = byHour.get(h);
      if (!list) byHour.set(h, (list = []));
      list.push(t);
    }
    for (let h0 = 0; h0 < hours; h0 += hoursPerBody) {
      const tuples: DemoTuple[] = [];
      for (let h = h0; h < Math.min(hours, h0 + hoursPerBody); h++) {
        const hourStart = startMs + h * HOUR;
        // One generator per hour: the data of an hour never depends on how bodies are cut.
        tuples.push(...backgroundHour(hourStart, new Random((options.seed * 7919 + h) >>> 0)));
        tuples.push(...(byHour.get(h) ?? []));
      }
      const at = new Date(startMs + h0 * HOUR);
      const path = `demo/seed-${options.seed}/y=${at.getUTCFullYear()}/m=${String(at.getUTCMonth() + 1).padStart(2, '0')}/d=${String(at.getUTCDate()).padStart(2, '0')}/h=${String(at.getUTCHours()).padStart(2, '0')}/PT${hoursPerBody}H.json`;
      yield { source: path, json: nsgBlob(tuples, SUBSCRIPTION), tuples: tuples.length };
    }
  }

  return { scenario, bodies, startMs, endMs };
}

/** The attack of forensic-scenario.md as NSG tuples, all seen by the jump host's NSG. */
function scenarioFlows(s: Scenario, jump: Host, db: Host, scanners: string[], rng: Random): DemoTuple[] {
  const out: DemoTuple[] = [];
  const sshIn = { nsg: jump.nsg, rule: 'UserRule_AllowSshInbound', mac: jump.mac, src: s.attacker, dst: jump.ip, dport: 22, proto: 'T' as const, dir: 'I' as const, action: 'A' as const };
  // Step 2: hundreds of failed logins, each from a new source port, a few hundred bytes.
  const ports = new Set<number>([s.loginSourcePort]);
  for (let i = 0; i < s.attemptCount; i++) {
    let sport = rng.int(32768, 60999);
    while (ports.has(sport)) sport = rng.int(32768, 60999);
    ports.add(sport);
    const startSec = Math.floor((s.attemptsStart + Math.floor(((s.t0 - 60_000 - s.attemptsStart) * i) / s.attemptCount)) / 1000) + rng.int(0, 5);
    shortFlow(out, { ...sshIn, sport }, startSec, [rng.int(4, 8), rng.int(300, 700), rng.int(3, 7), rng.int(250, 800)], rng.int(1, 6));
  }
  // ... while a few other internet sources are denied on other ports.
  for (let i = 0; i < rng.int(8, 20); i++) {
    out.push({ nsg: jump.nsg, rule: 'DefaultRule_DenyAllInBound', mac: jump.mac, ts: Math.floor((s.attemptsStart + rng.int(0, 120) * MINUTE) / 1000), src: rng.pick(scanners), dst: jump.ip, sport: rng.int(32768, 60999), dport: rng.pick([3389, 23, 445, 1433]), proto: 'T', dir: 'I', action: 'D', state: 'B', counters: null });
  }
  // Step 3: the successful login: one long session with far more data; during the exfiltration
  // minutes it carries the stolen data back out to the attacker.
  const exfilFirst = (s.exfilStart - s.t0) / MINUTE;
  const session: [number, number, number, number][] = [];
  for (let m = 1; m <= s.loginMinutes; m++) {
    // The C tuple at minute m covers (m-1, m]; align it with the MySQL pull's minutes.
    const i = m - exfilFirst;
    const out = i >= 0 && i < s.exfilMinutes ? s.sshOutBytesPerMinute[i]! : rng.int(20_000, 90_000);
    session.push([rng.int(60, 300), rng.int(6_000, 30_000), Math.ceil(out / 1400), out]);
  }
  longFlow(out, { ...sshIn, sport: s.loginSourcePort }, Math.floor(s.t0 / 1000), session);
  // Step 4a: from the jump host, a scan of the database host: many ports, minimal data.
  s.scanPorts.forEach((port, i) => {
    const startSec = Math.floor((s.scanStart + Math.floor((i * 3 * MINUTE) / s.scanPorts.length)) / 1000);
    shortFlow(out, { nsg: jump.nsg, rule: 'UserRule_AllowVnetOut', mac: jump.mac, src: jump.ip, dst: db.ip, sport: rng.int(32768, 60999), dport: port, proto: 'T', dir: 'O', action: 'A' }, startSec, [rng.int(1, 2), rng.int(60, 120), rng.int(1, 2), rng.int(40, 60)], 0);
  });
  // Step 4b: then the bulk pull over MySQL, minute by minute in step with the ssh exfiltration.
  const pull: [number, number, number, number][] = s.exfilBytesPerMinute.map((b) => [Math.ceil(b / 20_000), Math.ceil(b / 400), Math.ceil(b / 1400), b]);
  longFlow(out, { nsg: jump.nsg, rule: 'UserRule_AllowVnetOut', mac: jump.mac, src: jump.ip, dst: db.ip, sport: rng.int(32768, 60999), dport: 3306, proto: 'T', dir: 'O', action: 'A' }, Math.floor((s.exfilStart - MINUTE) / 1000), pull);
  // During the brute force, a port sweep of the jump host from another internet source: every
  // attempt denied by the default rule, written as NSG writes a denied flow (one B tuple, no counters).
  s.sweepPorts.forEach((port, i) => {
    const ts = Math.floor((s.sweepStart + Math.floor((i * s.sweepMinutes * MINUTE) / s.sweepPorts.length)) / 1000);
    out.push({ nsg: jump.nsg, rule: 'DefaultRule_DenyAllInBound', mac: jump.mac, ts, src: s.sweepSource, dst: jump.ip, sport: rng.int(32768, 60999), dport: port, proto: 'T', dir: 'I', action: 'D', state: 'B', counters: null });
  });
  return out;
}
