/**
 * Every event from outside (sources, `sync.send()`) passes here first: shape-checked, pushes run
 * through the schema on their raw payload, bad input rejected with a logged reason and never
 * thrown (invariant 6). What passes goes to the machine.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { BalanceEvent, MachineEvent } from '../../machines/events.js';
import type { BalanceLogger, BalanceMetrics } from '../types.js';
import { checkEvent, validatePush, whenValid } from './validate.js';

export function createInbox(deps: {
  schema: StandardSchemaV1 | undefined;
  logger: BalanceLogger;
  metrics: BalanceMetrics;
  deliver: (event: MachineEvent) => void;
}) {
  const { logger, metrics } = deps;
  const reject = (input: string, reason: string): void => {
    metrics.rejected++;
    logger.warn(`rejected ${input}: ${reason}`);
  };
  /**
   * An async schema checks pushes and hellos after `send()` returns. They reach the machine in
   * the order they were sent (an unversioned push checked late must not overwrite a later one);
   * every other event reaches it at once, as `send()` promises (a sign-out sent behind a push
   * being checked must not leave the previous user on screen). A hello checked after a socket
   * change sent behind it is out of date: delivered, it would leave the socket live with nothing
   * connected. `forget()` (on stop) drops what still waits: it belongs to connections that are
   * gone; and it ends the checks running, so no schema deadline outlives the stop.
   */
  let waiting: Promise<void> | null = null;
  let lifetime = 0;
  let socketChanges = 0;
  let checks = new AbortController();

  function inOrder(
    step: (deliver: (event: MachineEvent) => void, signal: AbortSignal) => void | Promise<void>,
  ): void {
    const at = lifetime;
    const deliver = (event: MachineEvent): void => {
      if (at === lifetime) deps.deliver(event);
    };
    const run = () => (at === lifetime ? step(deliver, checks.signal) : undefined);
    const pending = waiting === null ? run() : waiting.then(run);
    if (!(pending instanceof Promise)) return;
    const settled = pending.then(
      () => {},
      () => {},
    );
    waiting = settled;
    void settled.then(() => {
      if (waiting === settled) waiting = null;
    });
  }

  function forget(): void {
    lifetime++;
    waiting = null;
    checks.abort();
    checks = new AbortController();
  }

  function send(raw: BalanceEvent): void {
    // Whatever reading it throws (a getter, a proxy trap) rejects it here, not in the app.
    const checked = checkEvent(raw);
    if (!checked.ok) {
      reject('event', checked.reason);
      return;
    }
    const event = checked.value;
    if (event.type.startsWith('SOCKET.')) metrics.socketEvents++;
    if (event.type === 'SOCKET.BALANCE_UPDATED') {
      const { type, ...payload } = event;
      inOrder((deliver, signal) =>
        whenValid(
          validatePush(payload, deps.schema, signal),
          (push) => deliver({ type, ...push }),
          // Abandoned by stop(): not the payload's fault, nothing to report.
          (reason) => signal.aborted || reject(type, reason),
        ),
      );
    } else if (event.type === 'SOCKET.CONNECTED' && event.hello !== undefined) {
      const { hello, ...connected } = event;
      const change = ++socketChanges;
      const current = (deliver: (event: MachineEvent) => void) => (checked: MachineEvent) => {
        if (change === socketChanges) deliver(checked);
      };
      // A hello that fails validation only costs the catch-up request it would have spared.
      inOrder((deliver, signal) =>
        whenValid(
          validatePush(hello, deps.schema, signal),
          (value) => current(deliver)({ ...connected, hello: value }),
          (reason) => {
            if (signal.aborted) return;
            reject('hello', reason);
            current(deliver)(connected);
          },
        ),
      );
    } else {
      if (event.type === 'SOCKET.CONNECTED' || event.type === 'SOCKET.DISCONNECTED') {
        socketChanges++;
      }
      deps.deliver(event);
    }
  }

  return { send, reject, forget };
}

export type Inbox = ReturnType<typeof createInbox>;
