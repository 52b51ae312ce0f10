/**
 * The regions that describe the environment rather than the value: the push channel, the
 * network, leadership among tabs, page visibility. Sources report them; guards read them.
 */
import { balanceSetup } from '../balance.setup.js';

/**
 * A hello for another user is rejected here, where every connection passes whatever state the
 * data region is in (which shows nothing of it and makes the catch-up the hello would have
 * spared): once per connection event, logged and counted (invariant 6).
 */
const rejectedHello = {
  type: 'noteRejected',
  params: { reason: 'message for another user', input: 'hello' },
} as const;

/** Whether a push channel is live: a live, trusted socket vouches for the value. */
export const socketRegion = balanceSetup.createStateConfig({
  id: 'socket',
  initial: 'offline',
  states: {
    offline: {
      on: {
        'SOCKET.CONNECTED': [
          { guard: 'helloOfAnotherUser', target: 'live', actions: rejectedHello },
          { target: 'live' },
        ],
      },
    },
    live: {
      on: {
        'SOCKET.DISCONNECTED': 'offline',
        // A second "connected" on a live channel (two sources on one socket) may carry one too.
        'SOCKET.CONNECTED': { guard: 'helloOfAnotherUser', actions: rejectedHello },
      },
    },
  },
});

export const networkRegion = balanceSetup.createStateConfig({
  id: 'network',
  initial: 'checking',
  states: {
    checking: {
      always: [{ guard: 'startsOffline', target: 'offline' }, { target: 'online' }],
    },
    online: { on: { OFFLINE: 'offline' } },
    offline: { on: { ONLINE: 'online' } },
  },
});

/** Leadership among tabs of one browser (Web Locks), reported by the cross-tab source. */
export const tabRegion = balanceSetup.createStateConfig({
  id: 'tab',
  initial: 'alone',
  states: {
    alone: { on: { 'TAB.LEADER': 'leader', 'TAB.FOLLOWER': 'follower' } },
    follower: { on: { 'TAB.LEADER': 'leader' } },
    leader: { on: { 'TAB.FOLLOWER': 'follower' } },
  },
});

export const visibilityRegion = balanceSetup.createStateConfig({
  id: 'visibility',
  initial: 'checking',
  states: {
    checking: {
      always: [{ guard: 'startsHidden', target: 'hidden' }, { target: 'visible' }],
    },
    visible: { on: { HIDDEN: 'hidden' } },
    hidden: { on: { VISIBLE: 'visible' } },
  },
});
