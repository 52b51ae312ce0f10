/**
 * An abstract, finite view of the balance machine for graph traversal: a fixed clock, a small
 * set of users, versions and outcomes, and a state serialisation that keeps exactly what the
 * guards can tell apart (so the state space is finite and every distinction is kept).
 */
import type { AnyStateNode, SnapshotFrom, TransitionDefinition } from 'xstate';
import { balanceMachine } from '../../machines/balance.machine.js';
import type { BalanceConfig, BalanceInput, HydratedValue } from '../../machines/context.js';
import type { MachineEvent } from '../../machines/events.js';

export type Snapshot = SnapshotFrom<typeof balanceMachine>;
export type ModelEvent = MachineEvent | { type: string; output?: unknown; error?: unknown };

export const T0 = Date.UTC(2026, 10, 24, 12);
/** When a timer fires, time has passed: the model's clock reads one day later meanwhile. */
export const LATER = T0 + 86_400_000;
export const modelClock = { now: T0 };
/** Users' balances live in disjoint ranges, so a leak is visible in the value alone. */
export const base = (userId: string) => (userId === 'u1' ? 1_000 : 2_000);

export interface ModelConfig {
  name: string;
  config: BalanceConfig;
  online?: boolean;
  visible?: boolean;
  userId?: string;
}

const defaults: BalanceConfig = {
  ttlMs: 30_000,
  dedupeMs: 1_000,
  maxStaleMs: 86_400_000,
  refreshIntervalMs: 30_000,
  revalidateOnFocus: true,
  keepPreviousData: false,
  invalidateOnSocket: true,
  retry: { attempts: 1, baseMs: 1_000, maxMs: 30_000 },
};

/**
 * Under a frozen clock some guards are constant per configuration (expired or not, inside the
 * dedupe window or not), so several configurations together reach every branch.
 */
export const modelConfigs: ModelConfig[] = [
  { name: 'defaults, inside dedupe, never expires', config: defaults },
  {
    name: 'everything expires at once, no dedupe, socket distrusted, keep previous data',
    config: {
      ...defaults,
      ttlMs: 0,
      dedupeMs: 0,
      refreshIntervalMs: 0,
      revalidateOnFocus: false,
      keepPreviousData: true,
      invalidateOnSocket: false,
    },
  },
  {
    name: 'starts offline and hidden, expires at once, polls',
    config: { ...defaults, ttlMs: 0, dedupeMs: 0 },
    online: false,
    visible: false,
  },
  {
    name: 'signed in from the start, TTL longer than a timer can wait',
    config: { ...defaults, dedupeMs: 0, ttlMs: 60 * 86_400_000 },
    userId: 'u1',
  },
];

export function inputFor(model: ModelConfig): BalanceInput {
  return {
    config: model.config,
    userId: model.userId ?? null,
    now: () => modelClock.now,
    random: () => 0.5,
    ...(model.online === undefined ? {} : { online: model.online }),
    ...(model.visible === undefined ? {} : { visible: model.visible }),
  };
}

const hydrated = (userId: string, age: number, ttlMs: number): HydratedValue => ({
  source: 'localStorage',
  value: {
    userId,
    balance: base(userId) + 7,
    version: 1,
    updatedAt: null,
    timestamp: T0 - age,
    expiresAt: T0 - age + ttlMs,
  },
});

/** The `after` event types of the states active in this snapshot. */
function delayedEventsIn(snapshot: Snapshot): ModelEvent[] {
  const types = new Set<string>();
  for (const node of snapshot._nodes) for (const t of node.after) types.add(t.eventType);
  return [...types].map((type) => ({ type }));
}

/** The events offered in a state: the SPEC's events, plus actor outcomes and timers where due. */
export function eventsFor(snapshot: Snapshot): ModelEvent[] {
  const c = snapshot.context;
  const user = c.userId ?? 'u1';
  const other = user === 'u1' ? 'u2' : 'u1';
  const events: ModelEvent[] = [
    { type: 'USER.CHANGED', userId: other },
    { type: 'USER.CHANGED', userId: null },
    { type: 'TAB.USER_CHANGED', userId: other },
    { type: 'TAB.USER_CHANGED', userId: null },
    { type: 'FOCUS' },
    { type: 'VISIBLE' },
    { type: 'HIDDEN' },
    { type: 'ONLINE' },
    { type: 'OFFLINE' },
    { type: 'SOCKET.CONNECTED' },
    { type: 'SOCKET.DISCONNECTED' },
    { type: 'SOCKET.BALANCE_UPDATED', userId: user, balance: base(user) + 5, version: 5 },
    { type: 'SOCKET.BALANCE_UPDATED', userId: other, balance: base(other) + 9, version: 9 },
    { type: 'SOCKET.INVALIDATE', userId: user },
    { type: 'SOCKET.INVALIDATE', userId: other },
    { type: 'TAB.BALANCE', userId: user, balance: base(user) + 4, version: 4 },
    { type: 'TAB.INVALIDATED', userId: user },
    { type: 'REFRESH' },
    { type: 'REFRESH', skipCache: true },
    { type: 'INVALIDATE', reason: 'model' },
    ...delayedEventsIn(snapshot),
  ];
  if (snapshot.matches({ data: 'hydrating' })) {
    events.push(
      { type: 'xstate.done.actor.readCache', output: null },
      { type: 'xstate.done.actor.readCache', output: hydrated(user, 0, c.config.ttlMs) },
      { type: 'xstate.done.actor.readCache', output: hydrated(user, 3_600_000, c.config.ttlMs) },
      {
        type: 'xstate.done.actor.readCache',
        output: hydrated(user, 3 * 86_400_000, c.config.ttlMs),
      },
      { type: 'xstate.error.actor.readCache', error: new Error('idb blocked') },
    );
  }
  if (snapshot.matches({ data: 'fetching' })) {
    events.push(
      {
        type: 'xstate.done.actor.fetchBalance',
        output: { balance: base(user) + 1, version: 1, updatedAt: null },
      },
      {
        type: 'xstate.done.actor.fetchBalance',
        output: { balance: base(user) + 6, version: 6, updatedAt: null },
      },
      {
        type: 'xstate.done.actor.fetchBalance',
        output: { balance: base(user) + 2, version: null, updatedAt: null },
      },
      { type: 'xstate.error.actor.fetchBalance', error: new Error('500') },
    );
  }
  if (snapshot.matches({ data: 'invalidated' })) {
    events.push(
      { type: 'xstate.done.actor.invalidateAll', output: undefined },
      { type: 'xstate.error.actor.invalidateAll', error: new Error('target failed') },
    );
  }
  // One optimistic update at a time, started from a shown value, keeps the model small.
  if (c.optimistic.length === 0) {
    if (snapshot.matches({ data: 'cached' }))
      events.push({ type: 'OPTIMISTIC.APPLY', id: 1, delta: -1 });
  } else
    events.push(
      { type: 'OPTIMISTIC.SETTLE', id: 1, ok: true },
      { type: 'OPTIMISTIC.SETTLE', id: 1, ok: false },
    );
  return events;
}

/**
 * Only what the guards can tell apart, so the state space is finite and small: users are
 * symmetric (events are generated relative to the current user), balances follow versions,
 * `error` is read by no guard, and the invalidation scope and skip-cache flag only matter in
 * the states that read them. Invariants are still checked on the full snapshots.
 */
export function serialize(snapshot: Snapshot): string {
  const c = snapshot.context;
  const invalidating = snapshot.matches({ data: 'invalidated' });
  const fetchingSoon =
    snapshot.matches({ data: 'fetching' }) || snapshot.matches({ data: 'hydrating' });
  return JSON.stringify({
    state: snapshot.value,
    signedIn: c.userId !== null,
    value: c.value && [c.value.version, c.value.expiresAt <= T0],
    floor: c.versionFloor,
    retry: Math.min(c.retryAttempt, c.config.retry.attempts + 1),
    pending: c.revalidatePending,
    landedSinceFetch: c.lastValueSeq > c.fetchStartedSeq,
    dedupe: c.lastFetchStartedAt !== null && T0 - c.lastFetchStartedAt < c.config.dedupeMs,
    skip: fetchingSoon && c.skipCacheRequested,
    optimistic: c.optimistic.map((o) =>
      o.settledAtSeq === null ? 'open' : o.settledAtSeq < c.fetchStartedSeq,
    ),
    scope: invalidating ? c.invalidationScope : null,
  });
}

export function allTransitions(): TransitionDefinition<never, never>[] {
  const all: TransitionDefinition<never, never>[] = [];
  const visit = (node: AnyStateNode) => {
    for (const list of node.transitions.values()) all.push(...(list as never[]));
    all.push(...((node.always ?? []) as never[]));
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(balanceMachine.root);
  return all;
}

export const describeTransition = (t: TransitionDefinition<never, never>): string =>
  `${t.source.id} --${t.eventType || 'always'}${t.guard ? ` [${typeof t.guard === 'string' ? t.guard : ((t.guard as { type?: string }).type ?? 'fn')}]` : ''}--> ${
    t.target?.map((target) => target.id).join(',') ?? '(internal)'
  }`;
