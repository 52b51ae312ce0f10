/**
 * The chart's context updates as plain functions of (context, event): what each named assign in
 * ./balance.setup.ts does, readable and unit-testable without an actor.
 */
import type { BalanceContext, FetchedBalance, HydratedValue } from './context.js';
import { preloadedFor } from './context.js';
import { dropDebits, settleDropped } from './dropped-debits.js';
import type { MachineEvent } from './events.js';
import { rejectGuessed } from './guessed-debits.js';
import {
  debitsOnBase,
  discarded,
  landed,
  pushOf,
  pushVerdict,
  responseVerdict,
  sourceOfPush,
} from './landing.js';
import { awaitsFetchedValue, recordCommit } from './optimistic.js';
import { valueAge } from './policy.js';

type Update = Partial<BalanceContext>;
type CtxEvent = { context: BalanceContext; event: MachineEvent };

/** Sign-in, switch or sign-out: nothing of the previous user survives (invariant 1). */
export function resetForUser(context: BalanceContext, event: MachineEvent): Update {
  const userId = 'userId' in event ? (event.userId ?? null) : null;
  const offered = event.type === 'USER.CHANGED' ? (event.preloaded ?? null) : null;
  // A layer's value for an invalidated user is not shown before the server speaks again.
  const preloaded = userId !== null && context.distrustedUsers.includes(userId) ? null : offered;
  // The previous user's pending debits are dropped: their stored value may predate what the
  // server did with them, so it is not fresh when that user comes back (the server tells).
  const leaving = context.userId;
  const dropsDebits =
    leaving !== null &&
    leaving !== userId &&
    context.optimistic.length > 0 &&
    !context.distrustedUsers.includes(leaving);
  return {
    userId,
    ...(dropsDebits ? { distrustedUsers: [...context.distrustedUsers, leaving] } : {}),
    ...preloadedFor(userId, preloaded),
    error: null,
    retryAttempt: 0,
    refetchAfterInvalidation: false,
    optimistic: [],
    guessedDebits: [],
    droppedDebits: dropDebits(context, userId),
    sessionDebitsFrom: context.lastDebitId + 1,
    revalidatePending: false,
    retiredEpochs: [],
    // Signed in (or switched) in another tab: that tab fetches and broadcasts.
    awaitingTab: event.type === 'TAB.USER_CHANGED' && userId !== null,
    discardedSeq: 0,
    lastFetchStartedAt: null,
    skipCacheRequested: false,
    keptWhileStopped: false,
    socketUnverified: false,
    // Keep the logical clock running: it orders everything this actor ever saw.
    seq: context.seq + 1,
  };
}

export const startFetch = (context: BalanceContext): Update => ({
  lastFetchStartedAt: context.now(),
  seq: context.seq + 1,
  fetchStartedSeq: context.seq + 1,
  revalidatePending: false,
  awaitingTab: false,
  refetchOnStart: false,
});

/** A layer's value; expired at once for an invalidated user (it may predate the invalidation). */
export function storeHydrated(context: BalanceContext, hit: HydratedValue | null): Update {
  if (hit === null) return {};
  const distrusted = context.distrustedUsers.includes(hit.value.userId);
  // A stored value is a base too (SPEC "Optimistic debits"): a debit made while stopped that it
  // includes, by its commit's version (another tab stored the server's value) or by its amount,
  // is not subtracted from it again.
  const { optimistic, guessedDebits, droppedDebits } = debitsOnBase(
    context,
    {
      balance: hit.value.balance,
      version: hit.value.version,
      epoch: hit.value.epoch,
      previousBalance: context.value?.balance ?? context.baseBalance,
      requestedAtSeq: null,
      retiredEpochs: context.retiredEpochs,
    },
    context.seq,
  );
  return {
    value: distrusted
      ? { ...hit.value, expiresAt: Math.min(hit.value.expiresAt, context.now()) }
      : hit.value,
    source: hit.source,
    versionFloor: hit.value.version,
    floorEpoch: hit.value.epoch,
    baseBalance: hit.value.balance,
    optimistic,
    guessedDebits,
    droppedDebits,
  };
}

export function storeResponse(context: BalanceContext, response: FetchedBalance): Update {
  const verdict = responseVerdict(context, response);
  const update = {
    ...landed(context, response, verdict, 'network', context.fetchStartedSeq),
    refetchAfterInvalidation: false,
  };
  return verdict.kind === 'discard'
    ? update
    : { ...update, retryAttempt: 0, socketUnverified: false };
}

/** A push, another tab's value, a hello or a commit's answer (accepted, confirmed or discarded). */
export function storePush(context: BalanceContext, event: MachineEvent): Update {
  const push = pushOf(context, event);
  const verdict = pushVerdict(context, event);
  if (push === null || verdict === null) return {};
  if (verdict.kind === 'discard') return discarded(context, verdict);
  const landing = landed(context, push, verdict, sourceOfPush(event), null);
  // A commit's own answer (the balance after its debit) includes that debit, versioned or not.
  const settled =
    event.type === 'OPTIMISTIC.SETTLE'
      ? {
          ...landing,
          optimistic: (landing.optimistic ?? context.optimistic).filter(
            (entry) => entry.id !== event.id,
          ),
        }
      : landing;
  // A debit whose commit told no version leaves only with a value fetched after the commit
  // (rule 3), which no push is: while one waits, a landing value re-owes that fetch, even if
  // the one owed before failed (each push at most one request, within `dedupeMs`).
  const update = (settled.optimistic ?? context.optimistic).some(awaitsFetchedValue)
    ? { ...settled, revalidatePending: true }
    : settled;
  // A hello, or a value another tab fetched or was pushed since a catch-up was owed, is that
  // catch-up (one observed before may lack a push lost in between). A revalidation owed for
  // anything else (a change notice, a discard) is not settled by another tab's value.
  const catchUp =
    event.type === 'SOCKET.CONNECTED' ||
    (event.type === 'TAB.BALANCE' &&
      (context.socketUnverified || context.awaitingTab) &&
      event.observedAt !== undefined &&
      (context.catchUpSince === null || event.observedAt >= context.catchUpSince));
  if (!catchUp) return update;
  const caughtUp = { ...update, awaitingTab: false, socketUnverified: false };
  return onlyCatchUpOwed(context) ? { ...caughtUp, revalidatePending: false } : caughtUp;
}

/**
 * A hello (the server's current value as the connection opened) or another tab's value settles
 * a catch-up, unless a discard (which only a response may correct) or a commit without a
 * version (which only a value fetched after it settles) is waiting for a request too.
 */
const onlyCatchUpOwed = (context: BalanceContext): boolean =>
  context.discardedSeq === 0 && !context.optimistic.some(awaitsFetchedValue);

export function storeError(context: BalanceContext, error: unknown): Update {
  return {
    retryAttempt: context.retryAttempt + 1,
    error: {
      kind:
        error instanceof Error && error.name === 'BalanceValidationError' ? 'validation' : 'fetch',
      message: error instanceof Error ? error.message : String(error),
      at: context.now(),
    },
  };
}

/**
 * keepPreviousData: the old value stays on screen, expired (so marked stale), while the refetch
 * runs, as SWR's `mutate()` does. Pending debits survive: the refetch may predate them.
 */
export function beginInvalidation(context: BalanceContext, event: MachineEvent): Update {
  const keep = context.config.keepPreviousData && context.value !== null;
  const seq = context.invalidationSeq + 1;
  return {
    invalidationReason: event.type === 'INVALIDATE' ? (event.reason ?? null) : 'other tab',
    invalidationScope: event.type === 'INVALIDATE' ? 'all' : 'local',
    refetchAfterInvalidation: event.type === 'INVALIDATE' || context.refetchAfterInvalidation,
    invalidationSeq: seq,
    invalidationId: `invalidation-${seq}`,
    distrustedUsers:
      context.userId === null || context.distrustedUsers.includes(context.userId)
        ? context.distrustedUsers
        : [...context.distrustedUsers, context.userId],
    // What was fetched before is moot: the refetch (now, or on the next start) is not deduped.
    lastFetchStartedAt: null,
    value:
      keep && context.value !== null
        ? { ...context.value, expiresAt: Math.min(context.value.expiresAt, context.now()) }
        : null,
    source: keep ? context.source : null,
  };
}

export function addOptimistic(context: BalanceContext, event: MachineEvent): Update {
  if (event.type !== 'OPTIMISTIC.APPLY') return {};
  return {
    optimistic: [...context.optimistic, { id: event.id, delta: event.delta, commit: null }],
    lastDebitId: Math.max(context.lastDebitId, event.id),
  };
}

const answerOf = (event: Extract<MachineEvent, { type: 'OPTIMISTIC.SETTLE' }>) => ({
  version: event.answer?.version ?? null,
  epoch: event.answer?.epoch ?? null,
});

/** A commit settled: a rejection removes only that delta; a resolution records its answer. */
export function settleOptimistic(context: BalanceContext, event: MachineEvent): Update {
  if (event.type !== 'OPTIMISTIC.SETTLE') return {};
  const dropped = settleDropped(context, event.id, event.ok ? answerOf(event) : null);
  if (dropped !== null) {
    const { droppedDebits, owesRevalidation } = dropped;
    return owesRevalidation ? { droppedDebits, revalidatePending: true } : { droppedDebits };
  }
  if (!event.ok) return rejectGuessed(context, event.id);
  const { owesRevalidation, ...update } = recordCommit(context, event.id, answerOf(event));
  return owesRevalidation ? { ...update, revalidatePending: true } : update;
}

/** A connection came up (or the user changed under it): a catch-up is owed since now. */
export const catchUpSocket = (context: BalanceContext): Update => ({
  revalidatePending: true,
  socketUnverified: true,
  catchUpSince: context.now(),
});

/** The leader's connection, relayed: it catches up for this tab, which waits the grace. */
export const awaitLeaderCatchUp = ({ context, event }: CtxEvent): Update => ({
  revalidatePending: true,
  awaitingTab: true,
  socketUnverified: true,
  catchUpSince:
    event.type === 'SOCKET.CONNECTED' && event.connectedAt !== undefined
      ? event.connectedAt
      : context.now(),
});

/** Past `maxStaleMs` a value is not shown at all (invariant 3); the floor stays. */
export const dropValue = (): Update => ({ value: null, source: null });

/**
 * The wall clock was moved back past the moment the value was received: it is re-dated to its
 * age on the monotonic clock (now, if that is not tracked), so its TTL and `maxStaleMs` count
 * from when it was received, not from a moment the clock will reach only after the jump.
 */
export function redateValue(context: BalanceContext): Update {
  const { value } = context;
  if (value === null) return {};
  const now = context.now();
  // At or before now, whatever the clocks say: re-dated into the future, it would be re-dated
  // again at once (an eventless loop inside one event).
  const timestamp = Math.min(now, now - valueAge(context));
  return {
    value: {
      ...value,
      timestamp,
      expiresAt: Math.min(value.expiresAt, timestamp + context.config.ttlMs),
    },
  };
}

/** Starts the value's monotonic age from its timestamp (a stored value arrives already old). */
export function trackValueAge(context: BalanceContext): Update {
  const { value } = context;
  if (value === null) return {};
  const age = Math.max(0, context.now() - value.timestamp);
  return { valueAge: { timestamp: value.timestamp, since: context.elapsed() - age } };
}
