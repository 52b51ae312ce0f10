/** The push messages, one JSON shape for WebSocket frames and SSE `data:` alike. */
import type { AccountSnapshot } from './ledger.js';

export type BalanceFrameType = 'token-balance-updated' | 'token-balance-hello';

export const balanceFrame = (type: BalanceFrameType, userId: string, account: AccountSnapshot) =>
  JSON.stringify({
    type,
    userId,
    balance: account.balance,
    version: account.version,
    epoch: account.epoch,
    updatedAt: account.updatedAt,
  });

/** One SSE event; `data` is split per line, as the format requires. */
export function sseEvent(event: { id?: string | null; event: string; data: string }): string {
  const id = event.id ? `id: ${event.id}\n` : '';
  const data = event.data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
  return `${id}event: ${event.event}\n${data}\n`;
}

export const ssePing = ': ping\n\n';
