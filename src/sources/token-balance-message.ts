import type { BalanceEvent } from '../../machines/events.js';

const isRecord = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw);

/**
 * The server's `token-balance-updated` message → a machine event: with a balance it is a value
 * (`SOCKET.BALANCE_UPDATED`), without one a change notice (`SOCKET.INVALIDATE`). Anything else
 * is not ours (null). Values are validated by the core, which logs what it rejects.
 */
export function mapTokenBalanceMessage(message: unknown): BalanceEvent | null {
  if (!isRecord(message)) return null;
  if (message.type !== 'token-balance-updated' && message.type !== 'token-balance-invalidated') {
    return null;
  }
  const userId = message.userId as string;
  if (message.type === 'token-balance-invalidated' || !('balance' in message)) {
    return { type: 'SOCKET.INVALIDATE', userId };
  }
  return {
    type: 'SOCKET.BALANCE_UPDATED',
    userId,
    balance: message.balance as number,
    version: (message.version ?? null) as number | null,
    updatedAt: (message.updatedAt ?? null) as number | string | null,
  };
}

export type MessageMapper = (message: unknown) => BalanceEvent | null | undefined;
