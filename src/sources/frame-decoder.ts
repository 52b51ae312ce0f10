import type { BalanceEvent } from '../../machines/events.js';
import { describeError, isRecord } from '../core/shared.js';
import type { BalanceLogger } from '../types.js';
import type { MessageMapper } from './token-balance-message.js';

export interface DecodeOptions {
  map: MessageMapper;
  logger: BalanceLogger;
  /** Names the channel in log lines: `socket`, `stream`. */
  label: string;
}

/**
 * One frame of a push channel → an event, or null. A malformed frame or a mapper that throws is
 * logged and dropped, never thrown: one bad frame must not end the stream (invariant 6).
 * `eventName` is the SSE event type: data without a `type` of its own (such as
 * `token-balance-resumed`'s `{"userId"}`) takes it.
 */
export function decodeFrame(
  raw: unknown,
  options: DecodeOptions,
  eventName?: string,
): BalanceEvent | null {
  const { logger, label } = options;
  let message: unknown;
  try {
    message = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    logger.warn(`rejected ${label} frame: not JSON`);
    return null;
  }
  if (
    eventName !== undefined &&
    eventName !== 'message' &&
    isRecord(message) &&
    !('type' in message)
  )
    message = { type: eventName, ...message };
  try {
    const event = options.map(message);
    if (event === null || event === undefined)
      logger.debug(`ignored ${label} message of another kind`);
    return event ?? null;
  } catch (error) {
    logger.warn(`rejected ${label} frame: the message mapper threw`, {
      error: describeError(error),
    });
    return null;
  }
}
