/**
 * Every event from outside (sources, `sync.send()`) passes here first: shape-checked, pushes run
 * through the schema on their raw payload, bad input rejected with a logged reason and never
 * thrown (invariant 6). What passes goes to the machine.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { BalanceEvent, MachineEvent } from '../../machines/events.js';
import type { BalanceLogger, BalanceMetrics } from '../types.js';
import { describeError, readPlain } from './shared.js';
import { checkEvent, validatePush, whenValid } from './validate.js';

export function createInbox(deps: {
  schema: StandardSchemaV1 | undefined;
  logger: BalanceLogger;
  metrics: BalanceMetrics;
  deliver: (event: MachineEvent) => void;
}) {
  const { logger, metrics, deliver } = deps;
  const reject = (input: string, reason: string): void => {
    metrics.rejected++;
    logger.warn(`rejected ${input}: ${reason}`);
  };

  function send(raw: BalanceEvent): void {
    let readable: unknown;
    try {
      readable = readPlain(raw);
    } catch (error) {
      reject('event', `could not be read (${describeError(error)})`);
      return;
    }
    const checked = checkEvent(readable);
    if (!checked.ok) {
      reject('event', checked.reason);
      return;
    }
    const event = checked.value;
    if (event.type.startsWith('SOCKET.')) metrics.socketEvents++;
    if (event.type === 'SOCKET.BALANCE_UPDATED') {
      const { type, ...payload } = event;
      whenValid(
        validatePush(payload, deps.schema),
        (push) => deliver({ type, ...push }),
        (reason) => reject(type, reason),
      );
      return;
    }
    if (event.type === 'SOCKET.CONNECTED' && event.hello !== undefined) {
      const { hello, ...connected } = event;
      // A hello that fails validation only costs the catch-up request it would have spared.
      whenValid(
        validatePush(hello, deps.schema),
        (value) => deliver({ ...connected, hello: value }),
        (reason) => {
          reject('hello', reason);
          deliver(connected);
        },
      );
      return;
    }
    deliver(event);
  }

  return { send, reject };
}

export type Inbox = ReturnType<typeof createInbox>;
