import { describe, expect, it } from 'vitest';
import { heapSlope, percentile } from '../../bench/report/stats.js';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('heapSlope', () => {
  it('finds a steady leak and ignores a flat heap', () => {
    const leaking = Array.from({ length: 10 }, (_, i) => ({ cycle: i * 1000, mb: 10 + i * 0.5 }));
    expect(heapSlope(leaking)).toBeCloseTo(512);
    const flat = Array.from({ length: 10 }, (_, i) => ({
      cycle: i * 1000,
      mb: 10 + (i % 2) * 0.01,
    }));
    expect(Math.abs(heapSlope(flat))).toBeLessThan(5);
  });
});
