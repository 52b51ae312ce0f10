/**
 * The one selector from a machine snapshot to the public BalanceState. Derived values
 * (isStale, the optimistic balance) are computed here, not stored twice.
 */
import type { SnapshotFrom } from 'xstate';
import type { BalanceMachine } from '../../machines/balance.machine.js';
import { shownBalance } from '../../machines/optimistic.js';
import { isExpired, isTooOld, valueAge } from '../../machines/policy.js';
import type { BalanceState, BalanceStatus } from '../types.js';

export type BalanceSnapshot = SnapshotFrom<BalanceMachine>;

const staleStatuses = new Set<BalanceStatus>(['stale', 'invalidated', 'error']);

/** The `data` region's state, or `idle` while the sync is stopped. */
export function dataStatus(snapshot: BalanceSnapshot): BalanceStatus {
  const value = snapshot.value as
    | 'stopped'
    | { running: { data: string | Record<string, string> } };
  if (value === 'stopped') return 'idle';
  const data = value.running.data;
  return (typeof data === 'string' ? data : Object.keys(data)[0]) as BalanceStatus;
}

/**
 * The public state of a snapshot as of `now`. Freshness is judged when the state is read, not
 * only when a timer fires: a laptop that slept past the TTL fires no timer first (invariant 3).
 * A value past its TTL that a live socket vouches for has no expiry to report (`expiresAt:
 * null`): it stays fresh until the socket goes down. A socket whose catch-up has not landed yet
 * vouches for nothing (see `socketUnverified`).
 */
export function selectState(
  snapshot: BalanceSnapshot,
  now: number = snapshot.context.now(),
): BalanceState {
  const { context } = snapshot;
  const status = dataStatus(snapshot);
  // A value invalidated (or left with debits dropped) is stale until the server speaks again:
  // a live socket vouches only for values it has not been told are out of date.
  const distrusted =
    context.value !== null && context.distrustedUsers.includes(context.value.userId);
  const vouched =
    !distrusted &&
    context.config.invalidateOnSocket &&
    !context.socketUnverified &&
    snapshot.matches({ running: { socket: 'live' } });
  const tooOld =
    isTooOld(context.value, now, context.config.maxStaleMs) ||
    valueAge(context) > context.config.maxStaleMs;
  const value = tooOld ? null : context.value;
  const hasValue = value !== null;
  const isStale =
    hasValue &&
    (staleStatuses.has(status) ||
      snapshot.matches({ running: { data: { fetching: 'valueStale' } } }) ||
      (!vouched && isExpired(value, now)));
  const expiresAt =
    value === null || !Number.isFinite(value.expiresAt) || (vouched && isExpired(value, now))
      ? null
      : value.expiresAt;
  return {
    status,
    userId: context.userId,
    balance: hasValue ? shownBalance(context) : null,
    version: value?.version ?? null,
    epoch: value?.epoch ?? null,
    updatedAt: value?.updatedAt ?? null,
    expiresAt,
    source:
      hasValue && context.optimistic.length > 0 ? 'optimistic' : hasValue ? context.source : null,
    isStale,
    isFetching: status === 'fetching',
    error: context.error,
  };
}

/** Same object back when nothing a subscriber can see changed (useSyncExternalStore needs it). */
export function sameState(a: BalanceState, b: BalanceState): boolean {
  return (Object.keys(a) as (keyof BalanceState)[]).every((key) => Object.is(a[key], b[key]));
}
