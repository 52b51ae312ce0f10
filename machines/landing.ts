/**
 * What happens to context when a value arrives: whether a pushed value may be shown (invariants
 * 1, 2, 6) and the context it lands as, whatever its origin (response, push, other tab).
 */
import type { BalanceContext, FetchedBalance, ValueSource } from './context.js';
import type { MachineEvent, PushedBalance } from './events.js';
import { absorbOptimistic, makeValue, pushRejection } from './policy.js';

const isPushEvent = (
  event: MachineEvent,
): event is Extract<MachineEvent, { type: 'SOCKET.BALANCE_UPDATED' | 'TAB.BALANCE' }> =>
  event.type === 'SOCKET.BALANCE_UPDATED' || event.type === 'TAB.BALANCE';

export function rejectionOfPush(context: BalanceContext, event: MachineEvent): string | null {
  if (!isPushEvent(event)) return 'not a balance message';
  if (event.type === 'SOCKET.BALANCE_UPDATED' && !context.config.invalidateOnSocket) {
    return 'socket updates are switched off (invalidateOnSocket: false)';
  }
  return pushRejection(context, event, event.type === 'TAB.BALANCE');
}

export const maxVersion = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

/** Context changes when a value lands, whatever its origin (response, push, other tab). */
export function landed(
  context: BalanceContext,
  received: PushedBalance | FetchedBalance,
  source: ValueSource,
  originSeq: number,
): Partial<BalanceContext> {
  const userId = context.userId as string;
  const now = context.now();
  const seq = context.seq + 1;
  return {
    value: makeValue(userId, received, now, context.config.ttlMs),
    source,
    error: null,
    seq,
    lastValueSeq: seq,
    optimistic: absorbOptimistic(context.optimistic, originSeq),
  };
}
