import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { addressToBigInt } from './cidr.js';

export interface AsnAnswer {
  asn: number;
  name: string;
}

/** Decimal digits of buf[from, to) as a number (the CSV's numeric fields). */
function numberAt(buf: Buffer, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (buf[i]! - 48);
  return v;
}

/** Four 32-bit words of an IPv6 address (or IPv4-mapped), big-endian, into `out` at `at`. */
function ipv6Words(ip: string, out: Uint32Array, at: number): boolean {
  const value = addressToBigInt(ip);
  if (value === null) return false;
  out[at] = Number((value >> 96n) & 0xffffffffn);
  out[at + 1] = Number((value >> 64n) & 0xffffffffn);
  out[at + 2] = Number((value >> 32n) & 0xffffffffn);
  out[at + 3] = Number(value & 0xffffffffn);
  return true;
}

/** -1, 0, 1 comparing the 4-word address at words[at] with key[0..3]. */
function compareWords(words: Uint32Array, at: number, key: Uint32Array): number {
  for (let k = 0; k < 4; k++) {
    const a = words[at + k]!;
    const b = key[k]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/**
 * Reads `start,end,asn,name` lines straight from the file's bytes (a name may be quoted and hold
 * commas). Parsing the 21 MB CSV as one string and splitting it into half a million line strings
 * used to leave ~130 MB of heap behind; typed arrays keep the table at ~15 MB.
 */
function readRanges(path: string, onRange: (buf: Buffer, start: [number, number], end: [number, number], asn: number, name: string) => void): void {
  const buf = readFileSync(path);
  let lineStart = 0;
  while (lineStart < buf.length) {
    let lineEnd = buf.indexOf(0x0a, lineStart);
    if (lineEnd === -1) lineEnd = buf.length;
    const a = buf.indexOf(0x2c, lineStart);
    const b = a === -1 ? -1 : buf.indexOf(0x2c, a + 1);
    const c = b === -1 ? -1 : buf.indexOf(0x2c, b + 1);
    if (a !== -1 && c !== -1 && c < lineEnd) {
      let nameFrom = c + 1;
      let nameTo = lineEnd > 0 && buf[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd;
      let name: string;
      if (buf[nameFrom] === 0x22 && buf[nameTo - 1] === 0x22) {
        nameFrom++;
        nameTo--;
        name = buf.toString('utf8', nameFrom, nameTo).replace(/""/g, '"');
      } else name = buf.toString('utf8', nameFrom, nameTo);
      onRange(buf, [lineStart, a], [a + 1, b], numberAt(buf, b + 1, c), name);
    }
    lineStart = lineEnd + 1;
  }
}

/**
 * AS number and name of public addresses, offline, from the RouteViews + NRO + DB-IP ranges
 * shipped by the npm package @ip-location-db/asn (CC BY 4.0). Ranges are sorted and
 * non-overlapping, so a lookup is a binary search over typed arrays (≈0.5 M ranges, ~15 MB).
 */
export class AsnLocator {
  private readonly key = new Uint32Array(4);

  private constructor(
    private readonly v4Start: Uint32Array,
    private readonly v4End: Uint32Array,
    private readonly v4Asn: Uint32Array,
    private readonly v4Name: Uint32Array,
    /** IPv6 range bounds as four 32-bit words each. */
    private readonly v6Start: Uint32Array,
    private readonly v6End: Uint32Array,
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
    // Grown as needed (the package's line counts change with every release).
    let capacity = 1 << 19;
    let v4Start: Uint32Array = new Uint32Array(capacity);
    let v4End: Uint32Array = new Uint32Array(capacity);
    let v4Asn: Uint32Array = new Uint32Array(capacity);
    let v4Name: Uint32Array = new Uint32Array(capacity);
    let n4 = 0;
    readRanges(`${dir}asn-ipv4-num.csv`, (buf, start, end, asn, name) => {
      if (n4 === capacity) {
        capacity *= 2;
        [v4Start, v4End, v4Asn, v4Name] = [v4Start, v4End, v4Asn, v4Name].map((a) => {
          const grown = new Uint32Array(capacity);
          grown.set(a);
          return grown;
        }) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
      }
      v4Start[n4] = numberAt(buf, start[0], start[1]);
      v4End[n4] = numberAt(buf, end[0], end[1]);
      v4Asn[n4] = asn;
      v4Name[n4] = nameId(name);
      n4++;
    });
    let capacity6 = 1 << 17;
    let v6Start: Uint32Array = new Uint32Array(capacity6 * 4);
    let v6End: Uint32Array = new Uint32Array(capacity6 * 4);
    let v6Asn: Uint32Array = new Uint32Array(capacity6);
    let v6Name: Uint32Array = new Uint32Array(capacity6);
    let n6 = 0;
    readRanges(`${dir}asn-ipv6.csv`, (buf, start, end, asn, name) => {
      if (n6 === capacity6) {
        capacity6 *= 2;
        const grow = (a: Uint32Array, size: number): Uint32Array => {
          const grown = new Uint32Array(size);
          grown.set(a);
          return grown;
        };
        v6Start = grow(v6Start, capacity6 * 4);
        v6End = grow(v6End, capacity6 * 4);
        v6Asn = grow(v6Asn, capacity6);
        v6Name = grow(v6Name, capacity6);
      }
      if (!ipv6Words(buf.toString('latin1', start[0], start[1]), v6Start, n6 * 4)) return;
      if (!ipv6Words(buf.toString('latin1', end[0], end[1]), v6End, n6 * 4)) return;
      v6Asn[n6] = asn;
      v6Name[n6] = nameId(name);
      n6++;
    });
    return new AsnLocator(
      v4Start.slice(0, n4),
      v4End.slice(0, n4),
      v4Asn.slice(0, n4),
      v4Name.slice(0, n4),
      v6Start.slice(0, n6 * 4),
      v6End.slice(0, n6 * 4),
      v6Asn.slice(0, n6),
      v6Name.slice(0, n6),
      names,
    );
  }

  /** Not cached here: the Enricher caches what it needs per address. */
  lookup(ip: string): AsnAnswer | null {
    let answer: AsnAnswer | null = null;
    const family = isIP(ip);
    if (family === 4) {
      const p = ip.split('.');
      const value = ((Number(p[0]) << 24) >>> 0) + (Number(p[1]) << 16) + (Number(p[2]) << 8) + Number(p[3]);
      const i = lastAtOrBelow(this.v4Start.length, (k) => this.v4Start[k]! <= value);
      if (i >= 0 && value <= this.v4End[i]!) answer = { asn: this.v4Asn[i]!, name: this.names[this.v4Name[i]!]! };
    } else if (family === 6 && ipv6Words(ip, this.key, 0)) {
      const i = lastAtOrBelow(this.v6Asn.length, (k) => compareWords(this.v6Start, k * 4, this.key) <= 0);
      if (i >= 0 && compareWords(this.v6End, i * 4, this.key) >= 0) answer = { asn: this.v6Asn[i]!, name: this.names[this.v6Name[i]!]! };
    }
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
