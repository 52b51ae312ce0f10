/** Transition pieces several states share: accepting or rejecting a pushed value. */
import { rejectionOfPush } from '../balance.setup.js';
import type { BalanceContext } from '../context.js';
import type { MachineEvent } from '../events.js';

export const persistAll = { type: 'persistValue', params: { skipLayer: null } } as const;
export const acceptPush = { guard: 'acceptsPush', actions: ['storePush', persistAll] } as const;
export const rejectPush = {
  actions: {
    type: 'noteRejected',
    params: ({ context, event }: { context: BalanceContext; event: MachineEvent }) => ({
      reason: rejectionOfPush(context, event) ?? 'rejected',
      input: event.type,
    }),
  },
} as const;

/**
 * Sign-in, switch or sign-out, here or in another tab (invariant 1): reset synchronously and
 * cancel what was in flight by leaving the state. Targets are children of `data`, which re-enters
 * them (restarting `hydrating`'s read); `reenter: true` would reset every parallel region. A sign-out purges every layer, this tab's
 * own memory layer included.
 */
export const userChange = [
  { guard: 'isSameUser' },
  {
    guard: 'isSignOut',
    target: '.idle',
    actions: [
      {
        type: 'purgeUser',
        params: ({ context }: { context: BalanceContext }) => ({ userId: context.userId }),
      },
      'resetForUser',
    ],
  },
  // With a live socket, it has not vouched for this user yet: owe a catch-up.
  {
    guard: 'socketVouches',
    target: '.hydrating',
    actions: ['resetForUser', 'requestCatchUp'],
  },
  { target: '.hydrating', actions: 'resetForUser' },
] as const;
