import type { BalanceEvent, PushedBalance } from '../../machines/events.js';
import { isRecord } from '../core/shared.js';

/**
 * The server message's own fields, as sent: the core runs the app's schema on exactly this
 * payload (a schema never sees a field the library added), then validates what it returns.
 */
const pushedBalance = (message: Record<string, unknown>): PushedBalance => {
  const { type: _type, ...payload } = message;
  return payload as unknown as PushedBalance;
};

/**
 * A server message → a machine event, by its `type`:
 * - `token-balance-updated` with a balance: a value (`SOCKET.BALANCE_UPDATED`); without one, or
 *   `token-balance-invalidated`: a change notice (`SOCKET.INVALIDATE`).
 * - `token-balance-hello`: the value as the connection opened (`SOCKET.CONNECTED` + `hello`).
 * - `token-balance-resumed`: the server replayed what was missed (`SOCKET.CONNECTED` + `resumed`).
 * Anything else (`ping` included) is not ours: null. Only the shape is mapped here; values are
 * validated by the core, which logs what it rejects.
 */
export function mapTokenBalanceMessage(message: unknown): BalanceEvent | null {
  if (!isRecord(message)) return null;
  switch (message.type) {
    case 'token-balance-updated':
      return 'balance' in message
        ? { type: 'SOCKET.BALANCE_UPDATED', ...pushedBalance(message) }
        : { type: 'SOCKET.INVALIDATE', userId: message.userId as string };
    case 'token-balance-invalidated':
      return { type: 'SOCKET.INVALIDATE', userId: message.userId as string };
    case 'token-balance-hello':
      return { type: 'SOCKET.CONNECTED', hello: pushedBalance(message) };
    case 'token-balance-resumed':
      // Whose events were replayed, when the marker says: the core checks it is the signed-in user.
      return typeof message.userId === 'string'
        ? { type: 'SOCKET.CONNECTED', resumed: true, userId: message.userId }
        : { type: 'SOCKET.CONNECTED', resumed: true };
    default:
      return null;
  }
}

/**
 * Turns one server message into a `BalanceEvent`, or `null`/`undefined` to ignore it: the `map`
 * option of the push sources, for servers whose messages differ from `mapTokenBalanceMessage`'s.
 * What it returns is validated by the core like any input.
 */
export type MessageMapper = (message: unknown) => BalanceEvent | null | undefined;
