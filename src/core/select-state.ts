/**
 * The one selector from a machine snapshot to the public BalanceState. Derived values
 * (isStale, the optimistic balance) are computed here, not stored twice.
 */
import type { SnapshotFrom } from 'xstate';
import type { BalanceMachine } from '../../machines/balance.machine.js';
import type { HydratedValue } from '../../machines/context.js';
import { shownBalance } from '../../machines/optimistic.js';
import { isExpired, isTooOld } from '../../machines/policy.js';
import type { BalanceState, BalanceStatus } from '../types.js';

type Snapshot = SnapshotFrom<BalanceMachine>;

const staleStatuses = new Set<BalanceStatus>(['stale', 'invalidated', 'error']);

export function dataStatus(snapshot: Snapshot): BalanceStatus {
  const data = (snapshot.value as { data: string | Record<string, string> }).data;
  return (typeof data === 'string' ? data : Object.keys(data)[0]) as BalanceStatus;
}

/**
 * The public state of a snapshot as of `now`. Freshness is judged when the state is read, not
 * only when a timer fires: a laptop that slept past the TTL fires no timer first (invariant 3).
 * A value past its TTL that a live socket vouches for has no expiry to report (`expiresAt:
 * null`): it stays fresh until the socket goes down.
 */
export function selectState(
  snapshot: Snapshot,
  now: number = snapshot.context.now(),
): BalanceState {
  const { context } = snapshot;
  const status = dataStatus(snapshot);
  const vouched =
    context.config.invalidateOnSocket && snapshot.matches({ socket: 'live' }) && status !== 'idle';
  const value = isTooOld(context.value, now, context.config.maxStaleMs) ? null : context.value;
  const hasValue = value !== null;
  const isStale =
    hasValue &&
    (staleStatuses.has(status) ||
      snapshot.matches({ data: { fetching: 'valueStale' } }) ||
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

const keys: (keyof BalanceState)[] = [
  'status',
  'userId',
  'balance',
  'version',
  'epoch',
  'updatedAt',
  'expiresAt',
  'source',
  'isStale',
  'isFetching',
  'error',
];

/** Same object back when nothing a subscriber can see changed (useSyncExternalStore needs it). */
export function sameState(a: BalanceState, b: BalanceState): boolean {
  return keys.every((key) => Object.is(a[key], b[key]));
}

/** The state while not running: not syncing, keeps what was last shown for the same user. */
export function stoppedState(
  userId: string | null,
  last: BalanceState | null,
  preloaded: HydratedValue | null = null,
): BalanceState {
  if (
    preloaded !== null &&
    preloaded.value.userId === userId &&
    (last === null || last.userId !== userId)
  ) {
    const { value, source } = preloaded;
    return {
      status: 'idle',
      userId,
      balance: value.balance,
      version: value.version,
      epoch: value.epoch,
      updatedAt: value.updatedAt,
      expiresAt: Number.isFinite(value.expiresAt) ? value.expiresAt : null,
      source,
      isStale: false,
      isFetching: false,
      error: null,
    };
  }
  const keep = last !== null && last.userId === userId;
  return {
    status: 'idle',
    userId,
    balance: keep ? last.balance : null,
    version: keep ? last.version : null,
    epoch: keep ? last.epoch : null,
    updatedAt: keep ? last.updatedAt : null,
    expiresAt: keep ? last.expiresAt : null,
    source: keep ? last.source : null,
    isStale: keep ? last.balance !== null : false,
    isFetching: false,
    error: keep ? last.error : null,
  };
}
