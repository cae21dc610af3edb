import { Random } from './random.js';

/**
 * The forensic story of forensic-scenario.md with every constant drawn from the seed: tests must
 * find it by querying, never by knowing the addresses or times.
 */
export interface Scenario {
  seed: number;
  jumpHost: string;
  dbHost: string;
  attacker: string;
  attackerCountry: string | null;
  /** The successful login (epoch ms, minute aligned). */
  t0: number;
  attemptCount: number;
  attemptsStart: number;
  scanStart: number;
  scanPorts: number[];
  exfilStart: number;
  exfilMinutes: number;
  /** Bytes pulled from the database per exfil minute; the ssh session sends out ~ the same. */
  exfilBytesPerMinute: number[];
  /** ssh outbound bytes per exfil minute (within a few percent of the MySQL bytes). */
  sshOutBytesPerMinute: number[];
  loginMinutes: number;
  /** Source port of the successful ssh session (each failed attempt used another one). */
  loginSourcePort: number;
  /**
   * During the brute force another internet source sweeps the jump host's ports and the NSG
   * denies every attempt: the burst the denied-flows alert is for (epoch ms, minute aligned).
   */
  sweepSource: string;
  sweepStart: number;
  sweepMinutes: number;
  /** Destination ports tried, each once (never 22, which the jump host's NSG allows). */
  sweepPorts: number[];
}

export interface ScenarioOptions {
  seed: number;
  now: number;
  /** Countries allowed for the attacker address; resolved by the caller's geolocator. */
  locate?: (ip: string) => string | null;
}

const MINUTE = 60_000;

/** A public unicast IPv4 address (skips private, loopback, multicast and reserved space). */
export function randomPublicIPv4(rng: Random): string {
  for (;;) {
    const a = rng.int(1, 223);
    const b = rng.int(0, 255);
    if (a === 10 || a === 127 || a === 0 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a === 198 || a === 192) continue;
    return `${a}.${b}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  }
}

export function buildScenario(options: ScenarioOptions): Scenario {
  const rng = new Random(options.seed ^ 0x5eed);
  const jumpHost = `10.10.${rng.int(1, 3)}.${rng.int(4, 250)}`;
  const dbHost = `10.10.${rng.int(5, 9)}.${rng.int(10, 250)}`;
  // The attacker must geolocate outside the US (the compliance question of step 5).
  let attacker = randomPublicIPv4(rng);
  let attackerCountry = options.locate?.(attacker) ?? null;
  for (let i = 0; options.locate && i < 1000 && (!attackerCountry || attackerCountry === 'US'); i++) {
    attacker = randomPublicIPv4(rng);
    attackerCountry = options.locate(attacker);
  }
  const nowMinute = Math.floor(options.now / MINUTE) * MINUTE;
  // T0 between 1.5 and 6 days ago, at a random minute: inside the three weeks, away from "now".
  const t0 = nowMinute - rng.int(36 * 60, 6 * 24 * 60) * MINUTE;
  const attemptCount = rng.int(300, 700);
  const scanPorts = new Set<number>();
  const wanted = rng.int(60, 150);
  while (scanPorts.size < wanted) scanPorts.add(rng.chance(0.5) ? rng.int(1, 1024) : rng.int(1025, 65535));
  scanPorts.delete(3306);
  const exfilMinutes = rng.int(8, 15);
  const exfilBytesPerMinute: number[] = [];
  const sshOutBytesPerMinute: number[] = [];
  for (let i = 0; i < exfilMinutes; i++) {
    // A bell-shaped burst of 20..80 MB a minute.
    const shape = Math.sin(((i + 0.5) / exfilMinutes) * Math.PI);
    const mysql = Math.round((20 + 60 * shape) * 1_000_000 * (0.9 + 0.2 * rng.next()));
    exfilBytesPerMinute.push(mysql);
    // ssh carries the same data out, compressed/framed differently: within ±6%.
    sshOutBytesPerMinute.push(Math.round(mysql * (0.94 + 0.12 * rng.next())));
  }
  const loginSourcePort = rng.int(32768, 60999);
  const loginMinutes = 25 + exfilMinutes + rng.int(5, 20);
  // Drawn last, so every value above stays what it was for a seed before the sweep existed.
  let sweepSource = randomPublicIPv4(rng);
  while (sweepSource === attacker) sweepSource = randomPublicIPv4(rng);
  const sweepPorts = new Set<number>();
  const sweepWanted = rng.int(400, 900);
  while (sweepPorts.size < sweepWanted) sweepPorts.add(rng.chance(0.6) ? rng.int(1, 10_000) : rng.int(10_001, 65535));
  sweepPorts.delete(22);
  return {
    loginSourcePort,
    seed: options.seed,
    jumpHost,
    dbHost,
    attacker,
    attackerCountry,
    t0,
    attemptCount,
    attemptsStart: t0 - 120 * MINUTE,
    scanStart: t0 + 10 * MINUTE,
    scanPorts: [...scanPorts],
    exfilStart: t0 + 25 * MINUTE,
    exfilMinutes,
    exfilBytesPerMinute,
    sshOutBytesPerMinute,
    loginMinutes,
    sweepSource,
    // Early in the brute force, so it is over before the window the lateral-movement panels show.
    sweepStart: t0 - 120 * MINUTE + rng.int(5, 45) * MINUTE,
    sweepMinutes: rng.int(3, 6),
    sweepPorts: [...sweepPorts],
  };
}
