/**
 * Square-root scale from [0, max] to [minOut, maxOut]: node areas and arc widths then grow with
 * traffic without one elephant flow turning everything else into hairlines.
 */
export function sqrtScale(maxValue: number, minOut: number, maxOut: number): (value: number) => number {
  const root = Math.sqrt(Math.max(0, maxValue));
  return (value: number) => {
    if (!(root > 0) || !Number.isFinite(value) || value <= 0) {
      return minOut;
    }
    return minOut + (maxOut - minOut) * Math.min(1, Math.sqrt(value) / root);
  };
}
