import { DataFrame, Field, FieldType, getFieldDisplayName } from '@grafana/data';

import { TimeSeries } from '../stats/timeSeries';
import { isRateUnit } from './units';

/** A series ready for the statistics, with what the chart needs to label it. */
export interface NamedSeries extends TimeSeries {
  name: string;
  unit?: string;
  decimals?: number;
  isRate: boolean;
  /** Came from the reverse direction of a bidirectional query (values made positive). */
  reverse: boolean;
  /** How many fields were summed into it. */
  fieldCount: number;
}

export type SeriesSelection =
  | { kind: 'queries'; refIdA: string; refIdB: string; match?: string }
  | { kind: 'directions'; refId?: string; aIsReverse?: boolean; match?: string };

export type Extraction =
  | { ok: true; a: NamedSeries; b: NamedSeries }
  | { ok: false; message: string; a: NamedSeries | null; b: NamedSeries | null };

interface Candidate {
  frame: DataFrame;
  field: Field;
  time: Field;
  name: string;
  reverse: boolean;
}

/**
 * The query engine's mark for the reverse twin of a bidirectional series: drawn below the axis
 * (custom.transform "negative-Y") and labelled direction = reverse. Either one is enough.
 */
export function isReverseField(field: Field): boolean {
  const transform = (field.config?.custom as { transform?: string } | undefined)?.transform;
  return transform === 'negative-Y' || field.labels?.direction === 'reverse';
}

/** Whether any frame carries a reverse-direction series (decides "auto" mode). */
export function hasReverseSeries(frames: DataFrame[]): boolean {
  return frames.some((f) => f.fields.some((field) => field.type === FieldType.number && isReverseField(field)));
}

function candidates(frames: DataFrame[]): Candidate[] {
  const out: Candidate[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      continue;
    }
    for (const field of frame.fields) {
      if (field.type === FieldType.number) {
        out.push({ frame, field, time, name: getFieldDisplayName(field, frame, frames), reverse: isReverseField(field) });
      }
    }
  }
  return out;
}

function matches(c: Candidate, match?: string): boolean {
  return !match || c.name.toLowerCase().includes(match.toLowerCase());
}

function timeValue(v: unknown): number {
  if (typeof v === 'number') {
    return v;
  }
  if (v instanceof Date) {
    return v.getTime();
  }
  return typeof v === 'string' ? Date.parse(v) : NaN;
}

/**
 * Merges the chosen fields into one series by summing values at equal timestamps (top-N
 * groups of one query add up to its total). Fields in another unit than the first are left
 * out rather than added to it. Reverse values are made positive: some sources already negate them.
 */
function combine(list: Candidate[], fallbackName: string): NamedSeries | null {
  if (list.length === 0) {
    return null;
  }
  const unit = list[0].field.config?.unit;
  const same = list.filter((c) => c.field.config?.unit === unit);
  const byTime = new Map<number, number | null>();
  let stepMs: number | undefined;
  for (const c of same) {
    const interval = c.time.config?.interval;
    if (typeof interval === 'number' && interval > 0) {
      stepMs = interval;
    }
    const n = Math.min(c.time.values.length, c.field.values.length);
    for (let i = 0; i < n; i++) {
      const t = timeValue(c.time.values[i]);
      if (!Number.isFinite(t)) {
        continue;
      }
      const raw = c.field.values[i];
      const v = typeof raw === 'number' && Number.isFinite(raw) ? (c.reverse ? Math.abs(raw) : raw) : null;
      const prev = byTime.get(t);
      byTime.set(t, v === null ? (prev ?? null) : (prev ?? 0) + v);
    }
  }
  const times = [...byTime.keys()].sort((x, y) => x - y);
  return {
    name: same.length === 1 ? same[0].name : fallbackName,
    times,
    values: times.map((t) => byTime.get(t) ?? null),
    stepMs,
    unit,
    decimals: list[0].field.config?.decimals ?? undefined,
    isRate: isRateUnit(unit),
    reverse: same.every((c) => c.reverse),
    fieldCount: same.length,
  };
}

/** Prefer forward series of a query; use its reverse ones only when that is all it has. */
function preferForward(list: Candidate[]): Candidate[] {
  const forward = list.filter((c) => !c.reverse);
  return forward.length > 0 ? forward : list;
}

/**
 * Picks series A and B from the panel's frames: either two queries by refId, or the forward
 * and reverse directions of one bidirectional query. Says what is missing instead of guessing.
 */
export function extractSeries(frames: DataFrame[], sel: SeriesSelection): Extraction {
  const all = candidates(frames).filter((c) => matches(c, sel.match));
  let a: NamedSeries | null;
  let b: NamedSeries | null;
  let missing: string[] = [];
  if (sel.kind === 'queries') {
    a = combine(preferForward(all.filter((c) => c.frame.refId === sel.refIdA)), `${sel.refIdA} (total)`);
    b = combine(preferForward(all.filter((c) => c.frame.refId === sel.refIdB)), `${sel.refIdB} (total)`);
    missing = [a ? '' : `query ${sel.refIdA}`, b ? '' : `query ${sel.refIdB}`].filter(Boolean);
  } else {
    const scoped = sel.refId ? all.filter((c) => c.frame.refId === sel.refId) : all;
    const forward = combine(scoped.filter((c) => !c.reverse), 'forward (total)');
    const reverse = combine(scoped.filter((c) => c.reverse), 'reverse (total)');
    [a, b] = sel.aIsReverse ? [reverse, forward] : [forward, reverse];
    missing = [forward ? '' : 'a forward series', reverse ? '' : 'a reverse (negative-Y) series'].filter(Boolean);
  }
  if (a && b) {
    return { ok: true, a, b };
  }
  const where = sel.match ? ` matching "${sel.match}"` : '';
  return { ok: false, message: `No data for ${missing.join(' and ')}${where}`, a, b };
}
