/**
 * A duration option checked at creation, for the sync's options and the sources' alike: a value
 * that cannot work is a programming error and throws, naming the option.
 */
import { BalanceConfigError, BalanceRangeError } from './errors.js';

/**
 * A duration's allowed range: at least `min` ms (`POSITIVE`: above 0), `Infinity` where it
 * means "never", 0 where it means "off", and at most `max` ms where the value is a timer's own
 * delay (a timer fires at once past ~24.8 days). Below 1 s a TTL or a polling interval would
 * turn into a request loop.
 */
export type Range = [min: number, infinity?: boolean, zeroIsOff?: boolean, max?: number];
export const POSITIVE = Number.MIN_VALUE;

export function duration(
  name: string,
  value: unknown,
  fallback: number,
  [min, inf, off, max = Number.POSITIVE_INFINITY]: Range,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new BalanceConfigError(name, 'must be a number of ms');
  if ((off && value === 0) || (inf && value === Number.POSITIVE_INFINITY)) return value;
  if (!Number.isFinite(value) || value < min || value > max) {
    const least = `${min === POSITIVE ? '> 0' : `>= ${min}`} ms`;
    const allowed = `${least}${max < Number.POSITIVE_INFINITY ? ` and <= ${max} ms` : ''}`;
    throw new BalanceRangeError(
      name,
      `must be ${allowed}${inf ? ' or Infinity' : ''}${off ? ' or 0 (off)' : ''}, got ${value}`,
    );
  }
  return value;
}
