import { isIP } from 'node:net';

/** An address as a bigint in a 128-bit space (IPv4 mapped into ::ffff:0:0/96) for prefix tests. */
export function addressToBigInt(ip: string): bigint | null {
  const family = isIP(ip);
  if (family === 4) {
    const p = ip.split('.').map(Number);
    return 0xffff00000000n + BigInt(((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!);
  }
  if (family !== 6) return null;
  let text = ip.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded dotted IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = addressToBigInt(v4[1]!)! - 0xffff00000000n;
    text = text.slice(0, v4.index) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - headParts.length - tailParts.length).fill('0');
  const groups = [...headParts, ...fill, ...tailParts];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g || '0', 16)), 0n);
}

export interface Cidr {
  text: string;
  base: bigint;
  /** Prefix length in the 128-bit space. */
  bits: number;
}

export function parseCidr(text: string): Cidr {
  const [addr, len] = text.trim().split('/');
  const base = addressToBigInt(addr ?? '');
  if (base === null) throw new Error(`"${text}" is not a CIDR: bad address`);
  const v4 = isIP(addr!) === 4;
  const max = v4 ? 32 : 128;
  const prefix = len === undefined ? max : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`"${text}" is not a CIDR: bad prefix length`);
  const bits = v4 ? prefix + 96 : prefix;
  const mask = bits === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
  return { text: text.trim(), base: base & mask, bits };
}

export function cidrContains(cidr: Cidr, address: bigint): boolean {
  const shift = BigInt(128 - cidr.bits);
  return address >> shift === cidr.base >> shift;
}
