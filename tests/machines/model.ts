/**
 * An abstract, finite view of the balance machine for graph traversal: a fixed clock, a small
 * set of users, versions and outcomes, and a state serialisation that keeps exactly what the
 * guards can tell apart (so the state space is finite and every distinction is kept).
 */
import type { AnyStateNode, SnapshotFrom, TransitionDefinition } from 'xstate';
import { balanceMachine } from '../../machines/balance.machine.js';
import type { BalanceConfig, BalanceInput, HydratedValue } from '../../machines/context.js';
import { defaultConfig } from '../../machines/context.js';
import type { MachineEvent } from '../../machines/events.js';
import { isWithinDedupe } from '../../machines/policy.js';

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
  /** Offer leadership events (the tab region triples the state space, so not everywhere). */
  tabs?: boolean;
  /**
   * Leave out the variants other configurations explore in full (versions, rejections, cache
   * and invalidation failures): this one is about its timers and environment.
   */
  lean?: boolean;
  /** With `lean`: still offer other tabs' events and skip-cache refreshes. */
  tabEvents?: boolean;
  /** Offer `STOP` in every running state (and `START` again): the sync's lifecycle. */
  lifecycle?: boolean;
  /** Offer the leader's connection relayed to this tab (a follower). */
  relayed?: boolean;
  /** Offer optimistic updates (one configuration is enough to reach every branch). */
  optimistic?: boolean;
  /**
   * Offer the ordering variants: older, unversioned and new-epoch pushes, hellos, resumed
   * connections and commit answers. They multiply the state space, so only where needed.
   */
  versions?: boolean;
}

/** The product defaults, with one retry so the error branches stay few. */
const defaults: BalanceConfig = {
  ...defaultConfig,
  retry: { ...defaultConfig.retry, attempts: 1 },
};

/**
 * Under a frozen clock some guards are constant per configuration (expired or not, inside the
 * dedupe window or not), so several configurations together reach every branch.
 */
export const modelConfigs: ModelConfig[] = [
  {
    // maxStaleMs below the model's "later" (a day): a timer that fires finds the value too old.
    name: 'defaults, inside dedupe, never expires but past maxStaleMs once a timer fired',
    config: { ...defaults, maxStaleMs: 3_600_000 },
    lean: true,
    tabEvents: true,
    relayed: true,
  },
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
    optimistic: true,
    lifecycle: true,
  },
  {
    name: 'starts offline and hidden, expires at once, polls',
    config: { ...defaults, ttlMs: 0, dedupeMs: 0 },
    online: false,
    visible: false,
    lean: true,
  },
  {
    name: 'signed in from the start, TTL longer than a timer can wait',
    config: { ...defaults, dedupeMs: 0, ttlMs: 60 * 86_400_000, socketRefreshIntervalMs: 60_000 },
    userId: 'u1',
    lean: true,
    lifecycle: true,
  },
  {
    name: 'several tabs, everything expires at once, no dedupe',
    config: { ...defaults, ttlMs: 0, dedupeMs: 0 },
    tabs: true,
    lean: true,
    tabEvents: true,
  },
  {
    // A follower waits in `cached` (nothing expires) until no tab has polled for it.
    name: 'several tabs, a TTL that never runs out, no dedupe',
    config: { ...defaults, dedupeMs: 0, ttlMs: 60 * 86_400_000 },
    userId: 'u1',
    tabs: true,
    lean: true,
  },
  {
    name: 'versions, epochs and optimistic debits: no dedupe, no polling, nothing kept',
    config: { ...defaults, dedupeMs: 0, refreshIntervalMs: 0, keepPreviousData: false },
    userId: 'u1',
    optimistic: true,
    versions: true,
    lifecycle: true,
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
    epoch: null,
    updatedAt: null,
    timestamp: T0 - age,
    expiresAt: T0 - age + ttlMs,
  },
});

/**
 * Leadership is orthogonal to versions, rejections and optimistic updates, which the single-tab
 * configurations explore in full; multi-tab configurations leave those variants out.
 */
function leanOmits(event: ModelEvent, model: ModelConfig): boolean {
  const e = event as {
    type: string;
    output?: unknown;
    skipCache?: boolean;
    userId?: string | null;
  };
  const tabEvents = ['TAB.USER_CHANGED', 'SOCKET.INVALIDATE', 'TAB.FETCH_STARTED'];
  if (
    e.type === 'INVALIDATION.SETTLED' ||
    (e.type === 'xstate.error.actor.readCache' && !model.tabEvents) ||
    (!model.tabEvents && tabEvents.includes(e.type))
  ) {
    return true;
  }
  if (e.type === 'REFRESH' && e.skipCache && !model.tabEvents) return true;
  if (e.type === 'SOCKET.BALANCE_UPDATED' && (e as { version?: number }).version === 9) return true;
  if (e.type === 'xstate.done.actor.fetchBalance') {
    return (e.output as { version: number | null }).version !== 6;
  }
  if (e.type === 'xstate.done.actor.readCache' && e.output !== null) {
    const { timestamp } = (e.output as { value: { timestamp: number } }).value;
    return timestamp < T0 - 86_400_000 || timestamp > T0;
  }
  return false;
}

/** Values whose order is in question: older, unversioned, another epoch, a hello, a resume. */
function orderingVariants(user: string): ModelEvent[] {
  return [
    { type: 'SOCKET.BALANCE_UPDATED', userId: user, balance: base(user) + 3, version: 3 },
    { type: 'SOCKET.BALANCE_UPDATED', userId: user, balance: base(user) + 8 },
    {
      type: 'SOCKET.BALANCE_UPDATED',
      userId: user,
      balance: base(user) + 1,
      version: 1,
      epoch: 'e2',
    },
    {
      type: 'SOCKET.CONNECTED',
      hello: { userId: user, balance: base(user) + 5, version: 5, epoch: null },
    },
    // A hello of another user's value: not shown (rejected, caught up).
    {
      type: 'SOCKET.CONNECTED',
      hello: {
        userId: `${user}-other`,
        balance: base(user === 'u1' ? 'u2' : 'u1') + 5,
        version: 9,
      },
    },
    { type: 'SOCKET.CONNECTED', resumed: true },
    // A resume marker of another user's: spares nothing (rejected, caught up).
    { type: 'SOCKET.CONNECTED', resumed: true, userId: `${user}-other` },
  ];
}

/** The report of the last invalidation, as its actor sends it when everything settled. */
function settlements(snapshot: Snapshot): ModelEvent[] {
  const { invalidationId, userId } = snapshot.context;
  if (invalidationId === null) return [];
  const report = {
    userId,
    reason: 'model',
    ok: true,
    layers: [],
    targets: [],
    startedAt: T0,
    finishedAt: T0,
  };
  return [{ type: 'INVALIDATION.SETTLED', id: invalidationId, requestId: null, report }];
}

/** The `after` event types of the states active in this snapshot. */
function delayedEventsIn(snapshot: Snapshot): ModelEvent[] {
  const types = new Set<string>();
  for (const node of snapshot._nodes) for (const t of node.after) types.add(t.eventType);
  return [...types].map((type) => ({ type }));
}

/** The events offered in a state: the SPEC's events, plus actor outcomes and timers where due. */
export const eventsFor =
  (model: ModelConfig) =>
  (snapshot: Snapshot): ModelEvent[] => {
    const c = snapshot.context;
    const user = c.userId ?? 'u1';
    const other = user === 'u1' ? 'u2' : 'u1';
    if (snapshot.matches('stopped')) {
      // Stopped, only the lifecycle, the user, invalidation and settling commits do anything.
      return [
        { type: 'START' },
        // Restarted after another tab removed what this one knew.
        ...(c.value !== null ? [{ type: 'START' as const, forget: true }] : []),
        { type: 'STOP' },
        { type: 'USER.CHANGED', userId: other },
        { type: 'USER.CHANGED', userId: null },
        { type: 'TAB.USER_CHANGED', userId: user },
        { type: 'TAB.USER_CHANGED', userId: other },
        { type: 'TAB.USER_CHANGED', userId: null },
        { type: 'INVALIDATE', reason: 'model' },
        ...settlements(snapshot),
        ...(c.optimistic.length > 0
          ? [{ type: 'OPTIMISTIC.SETTLE' as const, id: 1, ok: false }]
          : []),
        // A debit made while stopped is kept for the next start (where debits' order is explored).
        ...(model.versions && c.optimistic.length === 0 && c.userId !== null
          ? [{ type: 'OPTIMISTIC.APPLY' as const, id: 1, delta: -1 }]
          : []),
      ];
    }
    const events: ModelEvent[] = [
      ...(model.lifecycle ? [{ type: 'STOP' }] : []),
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
      { type: 'SOCKET.INVALIDATE', userId: user },
      { type: 'TAB.BALANCE', userId: user, balance: base(user) + 4, version: 4 },
      { type: 'TAB.INVALIDATED', userId: user },
      { type: 'REFRESH' },
      { type: 'REFRESH', skipCache: true },
      { type: 'INVALIDATE', reason: 'model' },
      ...delayedEventsIn(snapshot),
      ...(model.tabs ? [{ type: 'TAB.LEADER' }, { type: 'TAB.FOLLOWER' }] : []),
      ...(model.relayed ? [{ type: 'SOCKET.CONNECTED' as const, relayed: true }] : []),
      // A distrusted socket's resume marker of another user: only logged (no catch-up).
      ...(model.config.invalidateOnSocket
        ? []
        : [{ type: 'SOCKET.CONNECTED' as const, resumed: true, userId: `${user}-other` }]),
    ];
    // Input that must be rejected, offered where there is a value it could replace.
    const showing = (['cached', 'stale', 'fetching', 'error'] as const).some((state) =>
      snapshot.matches({ running: { data: state } }),
    );
    if (showing) {
      events.push(
        { type: 'SOCKET.BALANCE_UPDATED', userId: other, balance: base(other) + 9, version: 9 },
        { type: 'TAB.BALANCE', userId: other, balance: base(other) + 9, version: 9 },
        { type: 'SOCKET.INVALIDATE', userId: other },
      );
    }
    // Another tab's request counts for dedupe, which focus and refresh read in these states.
    if (
      (['cached', 'error', 'stale', 'hydrating'] as const).some((state) =>
        snapshot.matches({ running: { data: state } }),
      )
    ) {
      events.push({ type: 'TAB.FETCH_STARTED', userId: user });
    }
    if (snapshot.matches({ running: { data: 'hydrating' } })) {
      events.push(
        { type: 'xstate.done.actor.readCache', output: null },
        { type: 'xstate.done.actor.readCache', output: hydrated(user, 0, c.config.ttlMs) },
        // Stamped a minute "after now": the wall clock was moved back since.
        { type: 'xstate.done.actor.readCache', output: hydrated(user, -60_000, c.config.ttlMs) },
        { type: 'xstate.done.actor.readCache', output: hydrated(user, 3_600_000, c.config.ttlMs) },
        {
          type: 'xstate.done.actor.readCache',
          output: hydrated(user, 3 * 86_400_000, c.config.ttlMs),
        },
        { type: 'xstate.error.actor.readCache', error: new Error('idb blocked') },
      );
    }
    if (snapshot.matches({ running: { data: 'fetching' } })) {
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
    if (snapshot.matches({ running: { data: { invalidated: 'clearing' } } })) {
      events.push(
        { type: 'INVALIDATION.LAYERS_CLEARED', id: c.invalidationId ?? '' },
        // An older invalidation's layers (a second invalidate() replaced it): not waited for.
        { type: 'INVALIDATION.LAYERS_CLEARED', id: 'invalidation-0' },
      );
    }
    events.push(...settlements(snapshot));
    if (model.lean) return events.filter((event) => !leanOmits(event, model));
    if (model.versions) {
      events.push(...orderingVariants(user));
      return withOptimistic(
        model,
        snapshot,
        events.filter((event) => !outsideOrdering(event)),
      );
    }
    return withOptimistic(model, snapshot, events);
  };

/**
 * The ordering configuration keeps the environment still (online, visible, one tab): what it
 * explores is how values of every kind and order combine with optimistic debits.
 */
function outsideOrdering(event: ModelEvent): boolean {
  const e = event as { type: string; skipCache?: boolean };
  return (
    [
      'ONLINE',
      'OFFLINE',
      'VISIBLE',
      'HIDDEN',
      'TAB.USER_CHANGED',
      'TAB.INVALIDATED',
      'TAB.FETCH_STARTED',
      'SOCKET.INVALIDATE',
      'xstate.error.actor.readCache',
      'INVALIDATION.SETTLED',
      // Failures and another tab's values are explored elsewhere; a push orders the same way.
      'xstate.error.actor.fetchBalance',
      'TAB.BALANCE',
    ].includes(e.type) ||
    (e.type === 'REFRESH' && e.skipCache === true)
  );
}

function withOptimistic(model: ModelConfig, snapshot: Snapshot, events: ModelEvent[]) {
  const c = snapshot.context;
  const user = c.userId ?? 'u1';
  if (!model.optimistic) return events;
  // One optimistic update at a time, started from a shown value.
  if (c.optimistic.length === 0) {
    if (snapshot.matches({ running: { data: 'cached' } }))
      events.push({ type: 'OPTIMISTIC.APPLY', id: 1, delta: -1 });
  } else {
    events.push(
      { type: 'OPTIMISTIC.SETTLE', id: 1, ok: true },
      { type: 'OPTIMISTIC.SETTLE', id: 1, ok: false },
    );
    if (model.versions) {
      events.push(
        {
          type: 'OPTIMISTIC.SETTLE',
          id: 1,
          ok: true,
          answer: { version: 6, epoch: null },
        },
        {
          type: 'OPTIMISTIC.SETTLE',
          id: 1,
          ok: true,
          answer: { version: 6, epoch: null, balance: base(user) + 6 },
        },
      );
    }
  }
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
  const fetching = snapshot.matches({ running: { data: 'fetching' } });
  const invalidating = snapshot.matches({ running: { data: { invalidated: 'clearing' } } });
  const fetchingSoon = fetching || snapshot.matches({ running: { data: 'hydrating' } });
  return JSON.stringify({
    state: snapshot.value,
    signedIn: c.userId !== null,
    // Guards compare versions only against the highest known one (shown or floor).
    known: c.versionFloor,
    epoch: c.floorEpoch,
    retired: c.retiredEpochs,
    awaitingTab: c.awaitingTab,
    refetchOnStart: c.refetchOnStart,
    // A response may correct the floor only if its request started after the last discard.
    discarded: c.discardedSeq > 0 && (!fetching || c.fetchStartedSeq > c.discardedSeq),
    value: c.value && [c.value.version === null, c.value.expiresAt <= T0],
    retry: Math.min(c.retryAttempt, c.config.retry.attempts + 1),
    pending: c.revalidatePending,
    // Whether showing the tab or losing the socket re-arms the timers (read only there).
    lapsed:
      c.timerLapsed &&
      (snapshot.matches({ running: { data: 'cached' } }) ||
        snapshot.matches({ running: { data: 'error' } })),
    // Only a response in flight can be overtaken; the next fetch start resets the relation.
    landedSinceFetch: fetching && c.lastValueSeq > c.fetchStartedSeq,
    dedupe: isWithinDedupe(c, T0),
    skip: fetchingSoon && c.skipCacheRequested,
    // A commit's version settles it by version; without one, by whether a request started later.
    optimistic: c.optimistic.map((o) =>
      o.commit === null
        ? 'open'
        : o.commit.version !== null
          ? [
              o.commit.version,
              o.commit.doubtedAtSeq != null && o.commit.doubtedAtSeq < c.fetchStartedSeq,
            ]
          : o.commit.seq < c.fetchStartedSeq,
    ),
    scope: invalidating ? c.invalidationScope : null,
    // Left out: `refetchAfterInvalidation` (another tab's value no newer than the one this tab
    // invalidated is discarded until its refetch answers) only turns an accept or a confirmation
    // into a discard, a branch reached anyway; it doubles the state space, and
    // tests/core/cross-tab-invalidation.test.ts proves it at the surface.
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
