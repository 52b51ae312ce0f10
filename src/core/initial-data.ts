/**
 * `initialData`: a balance the app's server already fetched (server rendering). It is what the
 * server render and the hydration show (`getServerSnapshot()`, the same on both sides), and the
 * sync starts from it unless the client has a newer value cached.
 */
import { valueProblem } from '../../machines/amounts.js';
import type { HydratedValue } from '../../machines/context.js';
import { makeValue } from '../../machines/landing.js';
import { isExpired, isTooOld } from '../../machines/policy.js';
import type { BalanceState, InitialData } from '../types.js';
import { BalanceConfigError } from './errors.js';
import { noValueState } from './no-value-state.js';
import { isFiniteNumber, isRecord } from './shared.js';

/** Checks `initialData` at creation: it is the app's own value, so a bad one is a bug. */
export function checkInitialData(raw: unknown): InitialData | undefined {
  if (raw === undefined) return undefined;
  const problem = !isRecord(raw)
    ? 'must be { balance, version?, epoch?, updatedAt?, receivedAt? }'
    : (valueProblem(raw) ??
      (raw.receivedAt !== undefined && !isFiniteNumber(raw.receivedAt)
        ? 'receivedAt must be ms since epoch'
        : null));
  if (problem !== null) throw new BalanceConfigError('initialData', problem);
  return raw as InitialData;
}

/**
 * The initial value for `userId`, as if it had been fetched at `receivedAt` (default: now). A
 * `receivedAt` ahead of this clock (a server clock ahead of the browser's) counts as now: the
 * TTL runs from here, not from a time that has not come yet.
 */
export function initialValue(
  data: InitialData | undefined,
  userId: string | null,
  now: number,
  ttlMs: number,
): HydratedValue | null {
  if (data === undefined || userId === null) return null;
  const receivedAt = Math.min(data.receivedAt ?? now, now);
  return { value: makeValue(userId, data, receivedAt, ttlMs), source: 'network' };
}

/** The newer of a cached value and the server's initial one (by version, else by time). */
export function newerOf(a: HydratedValue | null, b: HydratedValue | null): HydratedValue | null {
  if (a === null || b === null) return a ?? b;
  const [x, y] = [a.value, b.value];
  if (x.version !== null && y.version !== null && x.epoch === y.epoch) {
    return x.version >= y.version ? a : b;
  }
  return x.timestamp >= y.timestamp ? a : b;
}

/**
 * What a server render shows, and what hydration must show to match it: "no value", or the
 * initial data. Judged once per user (the caller memoises it): a value received longer than
 * `maxStaleMs` ago is not shown. Without `receivedAt` the value's age is unknown: it is shown,
 * fresh, with no expiry.
 *
 * Staleness is judged as of `renderedAt`, the time the server rendered as this side knows it
 * (invariant 3 on the server render): on the server its clock; in a browser the moment it asked
 * for the page (the server rendered just after), so that both sides reach the same verdict and
 * hydration matches (unless the TTL ran out between the request and the render, or the clocks
 * disagree by more than what was left of it). Where that moment is unknown (`null`: no navigation timing, or the app's
 * own clock) nothing is judged stale: a browser that called stale what the server rendered
 * fresh would leave the server's "fresh" on screen (React does not patch attributes that differ
 * at hydration, and the render after it would see no change); shown fresh at hydration, a value
 * stale by this clock changes in the render right after it, which patches the page.
 */
export function serverState(
  data: InitialData | undefined,
  userId: string | null,
  config: { ttlMs: number; maxStaleMs: number },
  now: number,
  renderedAt: number | null,
): BalanceState {
  // Nothing runs on the server: `idle`, which hydration then shows too.
  const empty = noValueState(userId, 'idle');
  if (data === undefined || userId === null) return empty;
  const value = makeValue(userId, data, data.receivedAt ?? now, config.ttlMs);
  const known = data.receivedAt !== undefined;
  if (known && isTooOld(value, renderedAt ?? now, config.maxStaleMs)) return empty;
  const stale = known && renderedAt !== null && isExpired(value, renderedAt);
  return {
    ...empty,
    status: stale ? 'stale' : 'cached',
    balance: value.balance,
    version: value.version,
    epoch: value.epoch,
    updatedAt: value.updatedAt,
    expiresAt: !known || stale || !Number.isFinite(value.expiresAt) ? null : value.expiresAt,
    source: 'network',
    isStale: stale,
  };
}

/**
 * When the server rendered, as this side knows it: on the server, now; in a browser, when the
 * page was asked for (`performance.timeOrigin`: the server rendered just after); unknown when
 * the app runs its own clock, which navigation timing knows nothing of.
 */
export function renderedAt(now: number, ownClock: boolean): number | null {
  if (typeof window === 'undefined') return now;
  const origin = globalThis.performance?.timeOrigin;
  return ownClock || typeof origin !== 'number' || !Number.isFinite(origin) ? null : origin;
}
