/**
 * Transition pieces several states share: values that arrive while the chart is elsewhere (a
 * push, another tab's value, a hello, a commit's answer) and user changes.
 */
import { and, not } from 'xstate';
import type { BalanceContext } from '../context.js';
import type { MachineEvent } from '../events.js';
import { pushVerdict, rejectionOfPush } from '../landing.js';

type Args = { context: BalanceContext; event: MachineEvent };

export const persistAll = { type: 'persistValue', params: { skipLayer: null } } as const;

const noteRejected = {
  type: 'noteRejected',
  params: ({ context, event }: Args) => ({
    reason: rejectionOfPush(context, event) ?? 'rejected',
    input: event.type,
  }),
} as const;

const rejectedResume = {
  type: 'noteRejected',
  params: { reason: 'resume marker for another user', input: 'SOCKET.CONNECTED' },
} as const;

/** Older than what is shown: counted and logged, and it owes one revalidation (SPEC). */
const discardPush = {
  guard: 'pushDiscarded',
  actions: [
    {
      type: 'noteDiscarded',
      params: ({ context, event }: Args) => {
        const verdict = pushVerdict(context, event);
        return { reason: verdict?.kind === 'discard' ? verdict.reason : 'discarded' };
      },
    },
    'storePush',
  ],
} as const;

/**
 * Where a value that arrives lands, for every push-like event: `target` is `.cached` at the
 * data level and `.valueFresh` inside `fetching` (the request goes on; its answer is then
 * ordered against the push). A change tells foreign caches; a confirmation does not.
 */
export function arrivals<T extends string>(target: T) {
  return arrivalsWith(target, 'resumedCoversValue');
}

/**
 * The same during a request: it began after this start, so after the sources listened, and a
 * resumed (caught-up) connection heard of meanwhile owes nothing more: what a value kept
 * across the stop missed, that request brings; what came after it, the connection does.
 */
export const arrivalsDuringRequest = <T extends string>(target: T) =>
  arrivalsWith(target, 'resumedConnection');

function arrivalsWith<T extends string>(
  target: T,
  resumedOwesNothing: 'resumedConnection' | 'resumedCoversValue',
) {
  const change = { guard: 'pushChanges', target, actions: ['storePush', persistAll] } as const;
  const fromServer = {
    ...change,
    actions: [...change.actions, 'notifyForeignCaches'],
  } as const;
  const confirm = { guard: 'pushConfirms', target, actions: ['storePush', persistAll] } as const;
  return {
    'SOCKET.BALANCE_UPDATED': [fromServer, confirm, discardPush, { actions: noteRejected }],
    // Another tab's new value is a server change: this tab's foreign caches are stale too.
    'TAB.BALANCE': [fromServer, confirm, discardPush, { actions: noteRejected }],
    // A hello (the server's current value as the connection opened) spares the catch-up, as
    // does a resumed stream; otherwise the socket only vouches for values checked after it.
    'SOCKET.CONNECTED': [
      fromServer,
      confirm,
      discardPush,
      // Another user's replay spares this one nothing: rejected, and caught up.
      {
        guard: and(['resumeOfAnotherUser', 'socketTrusted']),
        actions: [rejectedResume, 'catchUpOwnConnection'],
      },
      { guard: 'resumeOfAnotherUser', actions: rejectedResume },
      // A value kept across a stop missed what a resumed connection brought: catch up.
      { guard: resumedOwesNothing },
      { guard: and(['relayedConnection', 'socketTrusted']), actions: 'awaitLeaderCatchUp' },
      // Its own connection: this tab catches up itself, waiting for no other tab's value
      // (a follower that took the lead from a leader gone without a word would wait in vain).
      // Once per connection: a second "connected" with no "disconnected" between (two sources
      // on one socket) is the same connection, and owes nothing more.
      { guard: and(['socketTrusted', not('socketLive')]), actions: 'catchUpOwnConnection' },
    ],
    // The commit's answer records its version first, then its balance lands like a push.
    'OPTIMISTIC.SETTLE': [
      { ...change, actions: ['settleOptimistic', ...change.actions] },
      { ...confirm, actions: ['settleOptimistic', ...confirm.actions] },
      // Older than what is shown: counted, and it owes one revalidation like any other.
      { ...discardPush, actions: ['settleOptimistic', ...discardPush.actions] },
      { actions: 'settleOptimistic' },
    ],
  } as const;
}

/**
 * Sign-in, switch or sign-out, here or in another tab (invariant 1): reset synchronously and
 * cancel what was in flight by leaving the state. Targets are children of `data`, which re-enters
 * them (restarting `hydrating`'s read); `reenter: true` would reset every parallel region. A
 * sign-out purges every layer, this tab's own memory layer included. `announce`: tell the other
 * tabs (a change made here, not one relayed from them).
 */
export function userChange(...announce: 'announceUser'[]) {
  const purge = {
    type: 'purgeUser',
    params: ({ context }: { context: BalanceContext }) => ({ userId: context.userId }),
  } as const;
  return [
    { guard: 'isSameUser' },
    { guard: 'isSignOut', target: '.idle', actions: [purge, 'resetForUser', ...announce] },
    // With a live socket, it has not vouched for this user yet: owe a catch-up.
    {
      guard: 'socketUp',
      target: '.hydrating',
      actions: ['resetForUser', 'catchUpSocket', ...announce],
    },
    { target: '.hydrating', actions: ['resetForUser', ...announce] },
  ] as const;
}

/**
 * The same while stopped: nothing runs, the context follows the user (and purges on sign-out).
 * `announce`: a change made here is still told to the other tabs (../../src/sources/stopped-relay.ts).
 */
export function stoppedUserChange(...announce: 'announceUser'[]) {
  return [
    { guard: 'isSameUser' },
    {
      guard: 'isSignOut',
      actions: [
        {
          type: 'purgeUser',
          params: ({ context }: { context: BalanceContext }) => ({ userId: context.userId }),
        },
        'resetForUser',
        ...announce,
      ],
    },
    { actions: ['resetForUser', ...announce] },
  ] as const;
}
