/**
 * What an optimistic debit's commit resolved with (SPEC "Optimistic debits"): a `{ version }`
 * (and `epoch`) settles the delta without a request; a valid `balance` with it is shown at once.
 * Anything else is an answer without a version: one revalidation is owed (rule 3). So is an
 * answer that cannot be read or that names another user: rejected with a logged reason, and
 * never thrown, so the debit always settles (invariants 6, 8).
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { CommitPayload } from '../../machines/events.js';
import {
  type Checked,
  fail,
  isFiniteNumber,
  isRecord,
  pass,
  readPlain,
  readSafely,
} from './shared.js';
import { ofAnotherUser, validateFetched } from './validate.js';

const unversioned: CommitPayload = { version: null, epoch: null };

export async function readCommitAnswer(
  result: unknown,
  deps: {
    schema: StandardSchemaV1 | undefined;
    /** Whose debit it is: the user the machine has when the commit resolves. */
    userId: string;
    reject: (input: string, reason: string) => void;
  },
): Promise<CommitPayload> {
  const checked = await readSafely(async (): Promise<Checked<CommitPayload>> => {
    const answer = readPlain(result);
    if (!isRecord(answer)) return pass(unversioned);
    // Its version and balance are another user's: they settle nothing of this one's.
    if (ofAnotherUser(answer, deps.userId)) return fail('answer for another user');
    try {
      // A full server value: it passes the same checks (and schema) as a fetched response.
      const value = await validateFetched(answer, deps.schema, deps.userId);
      const { balance, version, epoch, updatedAt } = value;
      return pass({ balance, version, epoch, updatedAt });
    } catch {
      // Not a full value: its version alone may still settle the debit (rule 1). Reading it
      // may throw too (a class instance's getter): `readSafely` rejects it then.
      return pass({
        version: isFiniteNumber(answer.version) ? answer.version : null,
        epoch: typeof answer.epoch === 'string' ? answer.epoch : null,
      });
    }
  });
  if (checked.ok) return checked.value;
  deps.reject('commit answer', checked.reason);
  return unversioned;
}
