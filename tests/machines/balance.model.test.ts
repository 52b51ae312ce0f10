/**
 * Model-based test: traverse every reachable abstract state of the real machine with
 * xstate/graph, record every transition definition taken (eventless ones included, through
 * the `@xstate.microstep` inspection event), and check SPEC invariants on every edge.
 */
import { describe, expect, it } from 'vitest';
import type { ActorLogic, AnyActorScope, TransitionDefinition } from 'xstate';
import { adjacencyMapToArray, getAdjacencyMap } from 'xstate/graph';
import { balanceMachine } from '../../machines/balance.machine.js';
import type { BalanceInput } from '../../machines/context.js';
import { isWithinDedupe } from '../../machines/policy.js';
import { selectState } from '../../src/core/select-state.js';
import {
  allTransitions,
  base,
  describeTransition,
  eventsFor,
  inputFor,
  LATER,
  type ModelEvent,
  modelClock,
  modelConfigs,
  type Snapshot,
  serialize,
  T0,
} from './model.js';

type AnyTransition = TransitionDefinition<never, never>;

/** The real machine, with the mock actor scope's inspection channel tapped. */
function recordingLogic(taken: Set<AnyTransition>) {
  const tap = (scope: AnyActorScope): AnyActorScope => ({
    ...scope,
    system: new Proxy(scope.system, {
      get(target, key, receiver) {
        if (key !== '_sendInspectionEvent') return Reflect.get(target, key, receiver);
        return (event: { type: string; _transitions?: AnyTransition[] }) => {
          if (event.type === '@xstate.microstep')
            for (const t of event._transitions ?? []) taken.add(t);
        };
      },
    }),
  });
  const logic = Object.create(balanceMachine) as typeof balanceMachine;
  logic.transition = (snapshot, event, scope) => {
    // A timer firing means time has passed (TTL, poll, backoff): the clock reads later.
    modelClock.now = event.type.startsWith('xstate.after.') ? LATER : T0;
    try {
      return balanceMachine.transition(snapshot, event, tap(scope));
    } finally {
      modelClock.now = T0;
    }
  };
  logic.getInitialSnapshot = (scope, input) => balanceMachine.getInitialSnapshot(tap(scope), input);
  return logic;
}

const belongsToUser = (balance: number | null, userId: string | null) =>
  balance === null || (userId !== null && Math.abs(balance - base(userId)) < 100);

/** The SPEC invariants one edge must keep; returns the ones it breaks. */
function violations(
  model: (typeof modelConfigs)[number],
  from: Snapshot,
  event: ModelEvent,
  to: Snapshot,
): string[] {
  const before = selectState(from);
  const after = selectState(to);
  const broken: string[] = [];
  const check = (ok: boolean, invariant: string) => {
    if (!ok) broken.push(invariant);
  };
  // 1. Isolation: the shown value always belongs to the current user.
  check(belongsToUser(after.balance, after.userId), '1 isolation: balance of another user');
  check(
    to.context.value === null || to.context.value.userId === to.context.userId,
    '1 isolation: value.userId',
  );
  // 2. Monotonic: within an epoch the floor (and so the shown version) never goes down, except
  //    by the corrected-floor rule: a response to a request started after a discard.
  const sameEpoch = from.context.floorEpoch === to.context.floorEpoch;
  const corrected =
    event.type === 'xstate.done.actor.fetchBalance' &&
    from.context.discardedSeq > 0 &&
    from.context.fetchStartedSeq > from.context.discardedSeq;
  if (before.userId === after.userId && sameEpoch && !corrected) {
    const floorBefore = from.context.versionFloor;
    const floorAfter = to.context.versionFloor;
    check(
      floorBefore === null || (floorAfter !== null && floorAfter >= floorBefore),
      '2 monotonic: version floor went down',
    );
    if (before.version !== null && after.version !== null) {
      check(after.version >= before.version, '2 monotonic: version went down');
    }
  }
  // 3. Staleness is reported whenever the value is in a state that says so.
  if (after.balance !== null && ['stale', 'error', 'invalidated'].includes(after.status)) {
    check(after.isStale, '3 staleness: stale value reported fresh');
  }
  // 4. Dedupe: inside the window, focus and plain refresh never start a request.
  const insideDedupe = isWithinDedupe(from.context, T0);
  const skip = event.type === 'REFRESH' && 'skipCache' in event && event.skipCache === true;
  if (
    insideDedupe &&
    !skip &&
    ['FOCUS', 'VISIBLE', 'REFRESH'].includes(event.type) &&
    before.status === 'cached'
  ) {
    check(after.status !== 'fetching', '4 dedupe: request inside dedupeMs');
  }
  // 5. Invalidation drops the value (with keepPreviousData: keeps it, expired).
  if (event.type === 'INVALIDATE' && to.matches('running')) {
    check(after.status === 'invalidated', '5 invalidation: not invalidating');
    check(
      model.config.keepPreviousData
        ? after.balance === null || after.isStale
        : after.balance === null,
      '5 invalidation: old value still served as fresh',
    );
  }
  // 6. Nothing lost: a failed fetch keeps the last good value; rejected input changes nothing.
  if (event.type === 'xstate.error.actor.fetchBalance' && before.status === 'fetching') {
    check(to.context.value === from.context.value, '6 nothing lost: value dropped on error');
    check(after.error !== null, '6 nothing lost: error not reported');
  }
  if (
    event.type === 'SOCKET.BALANCE_UPDATED' &&
    'userId' in event &&
    event.userId !== before.userId
  ) {
    check(after.balance === before.balance, "6 bad input: another user's push changed the value");
  }
  if (event.type === 'SOCKET.CONNECTED' && 'hello' in event && event.hello !== undefined) {
    const hello = event.hello as { userId: string };
    check(
      hello.userId === before.userId || after.balance === before.balance,
      "6 bad input: another user's hello changed the value",
    );
  }
  // The environment regions change only with the environment: a user switch or an
  // invalidation must not make the machine forget it is offline, hidden, live or leading.
  const environmentEvents = [
    'SOCKET.CONNECTED',
    'SOCKET.DISCONNECTED',
    'ONLINE',
    'OFFLINE',
    'VISIBLE',
    'HIDDEN',
    'TAB.LEADER',
    'TAB.FOLLOWER',
  ];
  if (!environmentEvents.includes(event.type) && from.matches('running') && to.matches('running')) {
    const environment = (snapshot: Snapshot) => {
      const { data: _data, ...rest } = (snapshot.value as { running: Record<string, unknown> })
        .running;
      return JSON.stringify(rest);
    };
    check(environment(from) === environment(to), 'environment regions changed by a data event');
  }
  return broken;
}

describe('balance machine, model-based', () => {
  const taken = new Set<AnyTransition>();
  const totals = { states: 0, edges: 0 };

  for (const model of modelConfigs.filter(
    (_, i) => !process.env.MODEL_ONLY || process.env.MODEL_ONLY.split(',').includes(String(i)),
  )) {
    // A full traversal takes seconds, not milliseconds.
    it(`every reachable state and edge keeps the invariants: ${model.name}`, () => {
      const logic = recordingLogic(taken);
      const options = {
        input: inputFor(model),
        events: eventsFor(model),
        serializeState: serialize,
        serializeEvent: (event: ModelEvent) => JSON.stringify(event),
        limit: 2_000_000,
      };
      // Actor outcomes and timers are events the machine receives but does not declare.
      const graphLogic = logic as unknown as ActorLogic<Snapshot, ModelEvent, BalanceInput>;
      const adjacency = getAdjacencyMap(graphLogic, options);
      const edges = adjacencyMapToArray(adjacency);
      const broken: string[] = [];
      if (process.env.MODEL_DEBUG) {
        console.info(
          `${model.name}: ${Object.keys(adjacency).length} states, ${edges.length} edges`,
        );
      }
      for (const { state, event, nextState } of edges) {
        for (const invariant of violations(model, state, event, nextState)) {
          if (broken.length < 5)
            broken.push(`${invariant}: ${serialize(state)} --${JSON.stringify(event)}-->`);
        }
      }
      if (broken.length > 0) console.error(broken.join('\n'));
      expect(broken).toEqual([]);
      totals.states += Object.keys(adjacency).length;
      totals.edges += edges.length;
    }, 180_000);
  }

  it('every transition of the chart is taken at least once', () => {
    const all = allTransitions();
    const missing = all.filter((t) => !taken.has(t)).map(describeTransition);
    console.info(
      `model: ${totals.states} abstract states, ${totals.edges} edges, ` +
        `${all.length - missing.length}/${all.length} transitions covered`,
    );
    expect(missing).toEqual([]);
  });
});
