/** Same shape as @grafana/data's ThresholdsConfig; JSON saves the base step's -Infinity as null. */
export interface ThresholdStep {
  value: number | null;
  color: string;
}

export interface Thresholds {
  mode: 'absolute' | 'percentage' | string;
  steps: ThresholdStep[];
}

export interface ValueRange {
  min: number;
  max: number;
}

/**
 * The colour of the highest step at or below the value, as Grafana's panels pick it. In percentage
 * mode the value is first placed within the range (field config min/max, or the data's own).
 */
export function thresholdColor(value: number, thresholds: Thresholds | undefined, range: ValueRange, fallback: string): string {
  const steps = thresholds?.steps ?? [];
  if (steps.length === 0 || !Number.isFinite(value)) {
    return steps[0]?.color ?? fallback;
  }
  let v = value;
  if (thresholds?.mode === 'percentage') {
    const span = range.max - range.min;
    v = span > 0 ? ((value - range.min) / span) * 100 : 100;
  }
  let color = steps[0].color;
  for (const step of steps) {
    const at = step.value === null || step.value === undefined ? -Infinity : step.value;
    if (v >= at) {
      color = step.color;
    }
  }
  return color;
}

/** Min and max over the values, with the field config's explicit min/max taking precedence. */
export function valueRange(values: number[], configMin?: number | null, configMax?: number | null): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  if (min === Infinity) {
    min = 0;
    max = 0;
  }
  return {
    min: typeof configMin === 'number' ? configMin : Math.min(0, min),
    max: typeof configMax === 'number' ? configMax : max,
  };
}
