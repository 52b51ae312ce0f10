/** Small statistics for the report: percentiles of latencies, the slope of heap samples. */

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

/** Least-squares slope of heap samples, in KB per 1 000 cycles. */
export function heapSlope(samples: readonly { cycle: number; mb: number }[]): number {
  if (samples.length < 2) return Number.NaN;
  const n = samples.length;
  const mx = samples.reduce((sum, s) => sum + s.cycle, 0) / n;
  const my = samples.reduce((sum, s) => sum + s.mb, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.cycle - mx) * (s.mb - my);
    den += (s.cycle - mx) ** 2;
  }
  return (num / den) * 1024 * 1000;
}
