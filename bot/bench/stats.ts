// Small statistics helpers for the benchmark: percentiles (linear interpolation between the
// closest ranks, as numpy's default), medians and a latency summary.

/**
 * The p-th percentile (0 ≤ p ≤ 100) of `values`, interpolating linearly between the two closest
 * ranks: rank = p/100 · (n − 1) on the sorted values. NaN for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within 0…100, got ${p}`);
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return lo === hi ? a : a + (b - a) * (rank - lo);
}

/** The median (the mean of the two middle values for an even count). NaN for an empty list. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

/** Rounds to `digits` decimals (for reports). */
export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** n, min, p50, p95, max and mean of a list of samples, rounded to `digits` decimals. */
export function summarize(values: readonly number[], digits = 2): Summary {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    n: values.length,
    min: values.length ? round(min, digits) : Number.NaN,
    p50: round(percentile(values, 50), digits),
    p95: round(percentile(values, 95), digits),
    max: values.length ? round(max, digits) : Number.NaN,
    mean: round(mean(values), digits),
  };
}
