/**
 * `sync.applyOptimistic(delta, commit)`: the delta is shown at once; the commit's outcome settles
 * it (SPEC "Optimistic debits"). While stopped it is kept, and shown on the value the next start
 * finds: a provider remounting between a click and its commit must not lose the debit. A refused
 * debit (not a finite safe amount, a sum that would be rounded, no signed-in user) is logged,
 * and its commit observed so its rejection is never an unhandled one.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Actor } from 'xstate';
import { amountProblem } from '../../machines/amounts.js';
import type { BalanceMachine } from '../../machines/balance.machine.js';
import { balanceWith } from '../../machines/optimistic.js';
import type { BalanceLogger } from '../types.js';
import { readCommitAnswer } from './commit-answer.js';
import { describeError } from './shared.js';

export function createOptimisticDebits(deps: {
  actor: Actor<BalanceMachine>;
  schema: StandardSchemaV1 | undefined;
  logger: BalanceLogger;
  reject: (input: string, reason: string) => void;
}) {
  const { actor, logger, reject } = deps;
  let ids = 0;
  return function applyOptimistic(delta: number, commit: PromiseLike<unknown>): void {
    const snapshot = actor.getSnapshot();
    const userId = snapshot.context.userId;
    const problem = amountProblem(delta);
    const refusal =
      problem !== null
        ? `delta ${problem}`
        : userId === null
          ? 'no signed-in user'
          : snapshot.context.value !== null && balanceWith(snapshot.context, delta) === null
            ? 'the balance with this delta has no exact number (it would be rounded)'
            : null;
    if (refusal !== null || userId === null) {
      reject('applyOptimistic', refusal ?? 'no signed-in user');
      observe(
        commit,
        () => {},
        () => {},
      );
      return;
    }
    const id = ++ids;
    // Applied first: observing may fail at once, and taking the delta back must find it.
    actor.send({ type: 'OPTIMISTIC.APPLY', id, delta });
    const unobservable = observe(
      commit,
      async (result: unknown) => {
        // Never rejects: an answer it cannot take is one without a version (rule 3). Whose debit
        // it is, the machine says (a setUser() queued before it makes it the new user's).
        const owner = actor.getSnapshot().context.userId ?? userId;
        const answer = await readCommitAnswer(result, {
          schema: deps.schema,
          userId: owner,
          reject,
        });
        actor.send({ type: 'OPTIMISTIC.SETTLE', id, ok: true, answer });
      },
      (error: unknown) => {
        logger.warn('optimistic update rolled back', { error: describeError(error) });
        actor.send({ type: 'OPTIMISTIC.SETTLE', id, ok: false });
      },
    );
    // A commit whose outcome cannot be heard could never settle its delta: taken back at once.
    if (unobservable !== null) {
      reject('applyOptimistic', `commit cannot be observed (${unobservable})`);
      actor.send({ type: 'OPTIMISTIC.SETTLE', id, ok: false });
    }
  };
}

/**
 * Listens to the commit's outcome, or says why it cannot: a thenable whose `then` or `constructor` throws (invariant 6, never thrown
 * into the app).
 */
function observe(
  commit: PromiseLike<unknown>,
  resolved: (result: unknown) => unknown,
  rejected: (error: unknown) => void,
): string | null {
  try {
    Promise.resolve(commit).then(resolved, rejected);
    return null;
  } catch (error) {
    return describeError(error);
  }
}
