import { planDemo, type DemoPlan } from '../demo/generate.js';
import { sharedGeoLocator } from '../enrich/geo.js';

/**
 * The data every alert rule test evaluates rules on, one definition for both kinds of rules: the
 * SQL rules (alert-rules.test.ts, on the aggregate views) and the FlowAtlas-query rules
 * (backend-plugin/test/grafana-harness.test.ts, through the data source's backend). A rule must
 * fire on the scenario and stay quiet on the same background without it, at the times below.
 */
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** 8 days: the 7-day baselines of the SQL rules plus the scenario (T0 is 1.5 to 6 days back). */
export function alertDemoPlan(options: { seed: number; now: number; scenario: boolean }): DemoPlan {
  return planDemo({ seed: options.seed, flows: 40_000, days: 8, now: options.now, scenario: options.scenario, locate: (ip) => sharedGeoLocator().country(ip) });
}

/** Evaluation times every 5 minutes from `from` to `to` (epoch ms), aligned as Grafana's scheduler would be. */
export function evaluationTimes(from: number, to: number): number[] {
  const out: number[] = [];
  for (let at = Math.ceil(from / (5 * MINUTE)) * 5 * MINUTE; at <= to; at += 5 * MINUTE) out.push(at);
  return out;
}

/** From an hour before the brute force to an hour after the exfiltration, every 5 minutes. */
export function attackTimes(plan: DemoPlan): number[] {
  const s = plan.scenario;
  return evaluationTimes(s.attemptsStart - 60 * MINUTE, s.exfilStart + (s.exfilMinutes + 60) * MINUTE);
}

/**
 * Where a background-only demo must stay quiet: where the scenario would be (its times are drawn
 * whether or not it is loaded), and every 2 hours over the last 7 days (all hours of the day).
 */
export function quietTimes(plan: DemoPlan): number[] {
  const spread: number[] = [];
  for (let at = plan.endMs - 7 * DAY; at <= plan.endMs; at += 120 * MINUTE) spread.push(at);
  return [...attackTimes(plan), ...spread];
}
