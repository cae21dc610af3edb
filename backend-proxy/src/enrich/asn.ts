import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { addressToBigInt } from './cidr.js';

export interface AsnAnswer {
  asn: number;
  name: string;
}

/** Splits one CSV line of `start,end,asn,name` where the name may be quoted and contain commas. */
function splitRangeLine(line: string): [string, string, string, string] | null {
  const a = line.indexOf(',');
  const b = line.indexOf(',', a + 1);
  const c = line.indexOf(',', b + 1);
  if (a < 0 || b < 0 || c < 0) return null;
  let name = line.slice(c + 1);
  if (name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/""/g, '"');
  return [line.slice(0, a), line.slice(a + 1, b), line.slice(b + 1, c), name];
}

/**
 * AS number and name of public addresses, offline, from the RouteViews + NRO + DB-IP ranges
 * shipped by the npm package @ip-location-db/asn (CC BY 4.0). Ranges are sorted and
 * non-overlapping, so a lookup is a binary search over typed arrays (≈0.5 M ranges, ~10 MB).
 */
export class AsnLocator {
  private readonly cache = new Map<string, AsnAnswer | null>();

  private constructor(
    private readonly v4Start: Uint32Array,
    private readonly v4End: Uint32Array,
    private readonly v4Asn: Uint32Array,
    private readonly v4Name: Uint32Array,
    private readonly v6Start: bigint[],
    private readonly v6End: bigint[],
    private readonly v6Asn: Uint32Array,
    private readonly v6Name: Uint32Array,
    private readonly names: string[],
  ) {}

  static load(): AsnLocator {
    const require = createRequire(import.meta.url);
    const dir = require.resolve('@ip-location-db/asn/package.json').replace(/package\.json$/, '');
    const names: string[] = [];
    const nameIds = new Map<string, number>();
    const nameId = (n: string): number => {
      let id = nameIds.get(n);
      if (id === undefined) {
        id = names.push(n) - 1;
        nameIds.set(n, id);
      }
      return id;
    };
    const v4Lines = readFileSync(`${dir}asn-ipv4-num.csv`, 'utf8').split('\n');
    const v4Start = new Uint32Array(v4Lines.length);
    const v4End = new Uint32Array(v4Lines.length);
    const v4Asn = new Uint32Array(v4Lines.length);
    const v4Name = new Uint32Array(v4Lines.length);
    let n4 = 0;
    for (const line of v4Lines) {
      const f = splitRangeLine(line);
      if (!f) continue;
      v4Start[n4] = Number(f[0]);
      v4End[n4] = Number(f[1]);
      v4Asn[n4] = Number(f[2]);
      v4Name[n4] = nameId(f[3]);
      n4++;
    }
    const v6Lines = readFileSync(`${dir}asn-ipv6.csv`, 'utf8').split('\n');
    const v6Start: bigint[] = [];
    const v6End: bigint[] = [];
    const v6Asn = new Uint32Array(v6Lines.length);
    const v6Name = new Uint32Array(v6Lines.length);
    for (const line of v6Lines) {
      const f = splitRangeLine(line);
      if (!f) continue;
      const start = addressToBigInt(f[0]);
      const end = addressToBigInt(f[1]);
      if (start === null || end === null) continue;
      v6Asn[v6Start.length] = Number(f[2]);
      v6Name[v6Start.length] = nameId(f[3]);
      v6Start.push(start);
      v6End.push(end);
    }
    return new AsnLocator(v4Start.subarray(0, n4), v4End.subarray(0, n4), v4Asn.subarray(0, n4), v4Name.subarray(0, n4), v6Start, v6End, v6Asn, v6Name, names);
  }

  lookup(ip: string): AsnAnswer | null {
    const cached = this.cache.get(ip);
    if (cached !== undefined) return cached;
    let answer: AsnAnswer | null = null;
    const family = isIP(ip);
    if (family === 4) {
      const p = ip.split('.');
      const value = ((Number(p[0]) << 24) >>> 0) + (Number(p[1]) << 16) + (Number(p[2]) << 8) + Number(p[3]);
      const i = lastAtOrBelow(this.v4Start.length, (k) => this.v4Start[k]! <= value);
      if (i >= 0 && value <= this.v4End[i]!) answer = { asn: this.v4Asn[i]!, name: this.names[this.v4Name[i]!]! };
    } else if (family === 6) {
      const value = addressToBigInt(ip);
      if (value !== null) {
        const i = lastAtOrBelow(this.v6Start.length, (k) => this.v6Start[k]! <= value);
        if (i >= 0 && value <= this.v6End[i]!) answer = { asn: this.v6Asn[i]!, name: this.names[this.v6Name[i]!]! };
      }
    }
    if (this.cache.size > 500_000) this.cache.clear();
    this.cache.set(ip, answer);
    return answer;
  }
}

/** Index of the last element for which `atOrBelow` holds (elements sorted ascending), or -1. */
function lastAtOrBelow(length: number, atOrBelow: (k: number) => boolean): number {
  let lo = 0;
  let hi = length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (atOrBelow(mid)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

let shared: AsnLocator | null = null;
/** One loaded table per process. */
export function sharedAsnLocator(): AsnLocator {
  shared ??= AsnLocator.load();
  return shared;
}
