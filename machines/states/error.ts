/**
 * `data.error`: the last request failed. The value stays on screen, stale, with the error; retries
 * back off (./delays.ts), then polling, focus, `ONLINE` or a catch-up try again.
 */
import { and } from 'xstate';
import { balanceSetup } from '../balance.setup.js';

// An owed revalidation (catch-up, change notice) waits for the backoff here: retrying
// at once would hammer a failing server and hide the error from subscribers.
export const errorState = balanceSetup.createStateConfig({
  // Its timers start now: none of them has lapsed.
  entry: 'clearTimerLapsed',
  // The value on screen is stale (with the error) here; a fetch from here starts out stale too,
  // as the retry that follows a failure at once (an owed catch-up) must not show it fresh.
  // Retries used up, an owed revalidation (a catch-up, a discard) is a trigger of its own.
  always: {
    guard: and(['owesRevalidation', 'retriesExhausted']),
    target: 'fetching.valueStale',
  },
  after: {
    backoff: { guard: 'mayRetry', target: 'fetching.valueStale' },
    pollInterval: [
      { guard: 'mayPoll', target: 'fetching.valueStale' },
      { actions: 'noteTimerLapsed' },
    ],
    dedupeRemaining: {
      guard: and(['owesRevalidation', 'retriesExhausted']),
      target: 'fetching.valueStale',
    },
    // Nothing left for a socket to vouch for: restart the timers, polling included; and no
    // value at all is owed a fetch, even with the retries used up (one, like every owed one).
    maxStale: {
      guard: 'maxStaleElapsed',
      target: 'error',
      reenter: true,
      actions: ['dropValue', 'requestCatchUp'],
    },
  },
  on: {
    ONLINE: { guard: 'outsideDedupe', target: 'fetching.valueStale' },
    FOCUS: { guard: 'revalidatesOnFocus', target: 'fetching.valueStale' },
    VISIBLE: [
      { guard: 'revalidatesOnFocus', target: 'fetching.valueStale' },
      // Restart the poll timer that a hidden tab let lapse; one that has not fired runs on.
      { guard: 'timerLapsed', target: 'error', reenter: true },
    ],
    // The socket stopped vouching: polling takes over, the timer it let lapse restarted.
    'SOCKET.DISCONNECTED': { guard: 'timerLapsed', target: 'error', reenter: true },
    REFRESH: [
      { guard: 'skipCache', target: 'fetching.valueStale', actions: 'requestSkipCache' },
      { guard: 'outsideDedupe', target: 'fetching.valueStale' },
      { actions: { type: 'noteDeduped', params: { trigger: 'refresh' } } },
    ],
    'TAB.FETCH_STARTED': {
      guard: 'isForCurrentUser',
      target: 'error',
      reenter: true,
      actions: 'noteTabFetch',
    },
  },
});
