/**
 * Synthetic flow logs of every cloud format, deterministic, for the ingest benchmark: the same
 * kind of traffic in each format, cut into object-sized bodies.
 */
import { planDemo } from '../src/demo/generate.js';
import { Random } from '../src/demo/random.js';

export interface Body {
  source: string;
  text: string;
  flows: number;
}

const HOUR = 3_600_000;

function endpoints(rng: Random): { src: string; dst: string; sp: number; dp: number; pk: number; by: number } {
  return {
    src: `10.${rng.int(10, 30)}.${rng.int(1, 9)}.${rng.int(1, 250)}`,
    dst: rng.chance(0.5) ? `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}` : `172.16.${rng.int(0, 20)}.${rng.int(1, 250)}`,
    sp: rng.int(32768, 60999),
    dp: rng.pick([443, 22, 3306, 53, 80, 8080]),
    pk: rng.int(1, 500),
    by: rng.int(60, 900_000),
  };
}

export function nsgBodies(total: number, now: number, perBody = 20_000): Body[] {
  // Two days of the demo estate, cut into blobs of about `perBody` tuples like the other formats.
  const hoursPerBody = Math.max(1, Math.round((48 * perBody) / total));
  const plan = planDemo({ seed: 7, flows: total, now, days: 2, hoursPerBody });
  return [...plan.bodies()].map((b) => ({ source: b.source, text: b.json, flows: b.tuples }));
}

/**
 * The VNet tuples (13 fields) of one TCP flow seen in an hour's blob from `t`: most flows begin
 * in it (a B tuple without counters, then E with counters both ways, as Azure writes them); one
 * in ten began in an earlier hour and shows only its C tuple, which ingest must look up among
 * the rows already stored to count the connection once.
 */
function vnetFlowTuples(rng: Random, t: number): string[] {
  const e = endpoints(rng);
  const head = `${e.src},${e.dst},${e.sp},${e.dp},6,O`;
  const counters = `${e.pk},${e.by},${Math.ceil(e.pk / 2)},${Math.ceil(e.by / 3)}`;
  if (rng.chance(0.1)) return [`${t},${head},C,NX,${counters}`];
  return [`${t},${head},B,NX,,,,`, `${t + rng.int(1, 50_000)},${head},E,NX,${counters}`];
}

/** `count` VNet tuples (whole flows, so one more at most) starting in [fromMs, fromMs + spanMs). */
function vnetTuples(rng: Random, count: number, fromMs: number, spanMs: number): string[] {
  const tuples: string[] = [];
  while (tuples.length < count) tuples.push(...vnetFlowTuples(rng, fromMs + rng.int(0, spanMs - 1)));
  return tuples;
}

/** One VNet flow-log record (flowLogVersion 4) holding `tuples` in one flow group. */
function vnetRecord(timeMs: number, tuples: string[]): Record<string, unknown> {
  return {
    time: new Date(timeMs).toISOString(),
    flowLogVersion: 4,
    flowLogGUID: 'bench',
    macAddress: '00224871C205',
    category: 'FlowLogFlowEvent',
    flowLogResourceID: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NW/FLOWLOGS/BENCH',
    targetResourceID: '/subscriptions/S/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/bench',
    operationName: 'FlowLogFlowEvent',
    flowRecords: { flows: [{ aclID: 'acl', flowGroups: [{ rule: 'AllowAll', flowTuples: tuples }] }] },
  };
}

/** One GCP VPC flow-log LogEntry as a line of NDJSON (int64 counters as strings, as Cloud Logging writes them). */
function gcpEntry(rng: Random, id: string, startMs: number): string {
  const e = endpoints(rng);
  const start = new Date(startMs).toISOString();
  return JSON.stringify({
    insertId: id,
    jsonPayload: {
      connection: { src_ip: e.src, dest_ip: e.dst, src_port: e.sp, dest_port: e.dp, protocol: 6 },
      bytes_sent: String(e.by),
      packets_sent: String(e.pk),
      reporter: 'SRC',
      start_time: start,
      end_time: start,
      src_instance: { project_id: 'p', region: 'us-east1', zone: 'us-east1-b', vm_name: 'vm' },
      src_vpc: { project_id: 'p', vpc_name: 'default', subnetwork_name: 'default', subnetwork_region: 'us-east1' },
    },
    logName: 'projects/p/logs/compute.googleapis.com%2Fvpc_flows',
    resource: { type: 'gce_subnetwork', labels: { subnetwork_name: 'default', project_id: 'p', location: 'us-east1-b' } },
    timestamp: start,
  });
}

export function vnetBodies(total: number, now: number, perBody = 20_000): Body[] {
  const rng = new Random(11);
  const bodies: Body[] = [];
  for (let done = 0; done < total; done += perBody) {
    const n = Math.min(perBody, total - done);
    const tuples = vnetTuples(rng, n, now - 2 * HOUR, HOUR);
    bodies.push({ source: `vnet/${done}.json`, text: JSON.stringify({ records: [vnetRecord(now - HOUR, tuples)] }), flows: tuples.length });
  }
  return bodies;
}

export function awsDefaultBodies(total: number, now: number, perBody = 20_000): Body[] {
  const rng = new Random(13);
  const bodies: Body[] = [];
  for (let done = 0; done < total; done += perBody) {
    const n = Math.min(perBody, total - done);
    const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
    for (let i = 0; i < n; i++) {
      const e = endpoints(rng);
      const start = Math.floor((now - 2 * HOUR) / 1000) + rng.int(0, 3600);
      lines.push(`2 123456789012 eni-0a1b2c3d ${e.src} ${e.dst} ${e.sp} ${e.dp} 6 ${e.pk} ${e.by} ${start} ${start + 60} ${rng.chance(0.9) ? 'ACCEPT' : 'REJECT'} OK`);
    }
    bodies.push({ source: `aws-default/${done}.log`, text: lines.join('\n') + '\n', flows: n });
  }
  return bodies;
}

export function awsCustomBodies(total: number, now: number, perBody = 20_000): Body[] {
  const rng = new Random(17);
  const bodies: Body[] = [];
  for (let done = 0; done < total; done += perBody) {
    const n = Math.min(perBody, total - done);
    const lines = ['version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status flow-direction'];
    for (let i = 0; i < n; i++) {
      const e = endpoints(rng);
      const start = Math.floor((now - 2 * HOUR) / 1000) + rng.int(0, 3600);
      lines.push(`5 vpc-1 subnet-1 i-1 eni-1 123456789012 IPv4 ${e.src} ${e.dst} ${e.sp} ${e.dp} ${e.src} ${e.dst} 6 ${e.by} ${e.pk} ${start} ${start + 60} ACCEPT 2 OK egress`);
    }
    bodies.push({ source: `aws-custom/${done}.log`, text: lines.join('\n') + '\n', flows: n });
  }
  return bodies;
}

export function gcpBodies(total: number, now: number, perBody = 10_000): Body[] {
  const rng = new Random(19);
  const bodies: Body[] = [];
  for (let done = 0; done < total; done += perBody) {
    const n = Math.min(perBody, total - done);
    const lines = Array.from({ length: n }, (_, i) => gcpEntry(rng, `b${done + i}`, now - 2 * HOUR + rng.int(0, HOUR)));
    bodies.push({ source: `gcp/${done}.ndjson`, text: lines.join('\n') + '\n', flows: n });
  }
  return bodies;
}

/** A big single object, produced piece by piece (never whole in memory); `flows()` is known once drained. */
export interface BigBody {
  chunks: Generator<string>;
  flows(): number;
}

/**
 * One Azure NSG v2 PT1H.json-shaped blob of about `targetBytes`: the demo estate's records
 * (`{"records":[…]}`), as a storage account would hold an unusually busy hour.
 */
export function nsgBigBody(targetBytes: number, now: number): BigBody {
  let flows = 0;
  function* chunks(): Generator<string> {
    // ~85 bytes per tuple once records are dense (more are made than needed: the loop stops at the size); one day per 80 MiB: records as dense as a busy NSG's
    // (and hours small enough for the generator).
    const plan = planDemo({ seed: 23, flows: Math.ceil(targetBytes / 80), now, days: Math.max(1, Math.ceil(targetBytes / 2 ** 20 / 80)), hoursPerBody: 1 });
    let bytes = 0;
    let first = true;
    yield '{"records":[';
    for (const body of plan.bodies()) {
      // Each demo body is `{"records":[…]}`: keep its records, joined into the one big array.
      const records = body.json.slice('{"records":['.length, -2);
      if (records === '') continue;
      yield first ? records : `,${records}`;
      first = false;
      flows += body.tuples;
      bytes += records.length + 1;
      if (bytes >= targetBytes) break;
    }
    yield ']}';
  }
  return { chunks: chunks(), flows: () => flows };
}

/** An AWS VPC flow-log object in the default format (header line first) of about `targetBytes`. */
export function awsDefaultBigBody(targetBytes: number, now: number): BigBody {
  let flows = 0;
  function* chunks(): Generator<string> {
    const rng = new Random(29);
    let bytes = 0;
    yield 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n';
    while (bytes < targetBytes) {
      const lines: string[] = [];
      for (let i = 0; i < 2000; i++) {
        const e = endpoints(rng);
        const start = Math.floor((now - 2 * HOUR) / 1000) + rng.int(0, 3600);
        lines.push(`2 123456789012 eni-0a1b2c3d ${e.src} ${e.dst} ${e.sp} ${e.dp} 6 ${e.pk} ${e.by} ${start} ${start + 60} ${rng.chance(0.9) ? 'ACCEPT' : 'REJECT'} OK\n`);
      }
      const text = lines.join('');
      flows += lines.length;
      bytes += text.length;
      yield text;
    }
  }
  return { chunks: chunks(), flows: () => flows };
}

/**
 * One VNet flow-log PT1H.json of about `targetBytes`: a busy virtual network's hour as Network
 * Watcher writes it, one record a minute per NIC (~500 tuples each), joined in one records array.
 */
export function vnetBigBody(targetBytes: number, now: number): BigBody {
  let flows = 0;
  function* chunks(): Generator<string> {
    const rng = new Random(31);
    let bytes = 0;
    let first = true;
    yield '{"records":[';
    for (let minute = 0; bytes < targetBytes; minute++) {
      const at = now - 2 * HOUR + (minute % 60) * 60_000;
      const tuples = vnetTuples(rng, 500, at, 60_000);
      const text = (first ? '' : ',') + JSON.stringify(vnetRecord(at, tuples));
      first = false;
      flows += tuples.length;
      bytes += text.length;
      yield text;
    }
    yield ']}';
  }
  return { chunks: chunks(), flows: () => flows };
}

/** GCP VPC flow logs as NDJSON (one LogEntry a line, as a Cloud Storage sink writes them) of about `targetBytes`. */
export function gcpBigBody(targetBytes: number, now: number): BigBody {
  let flows = 0;
  function* chunks(): Generator<string> {
    const rng = new Random(37);
    let bytes = 0;
    while (bytes < targetBytes) {
      const lines = Array.from({ length: 2000 }, (_, i) => gcpEntry(rng, `big${flows + i}`, now - 2 * HOUR + rng.int(0, HOUR)));
      const text = lines.join('\n') + '\n';
      flows += lines.length;
      bytes += text.length;
      yield text;
    }
  }
  return { chunks: chunks(), flows: () => flows };
}
