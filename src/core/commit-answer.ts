/**
 * What an optimistic debit's commit resolved with (SPEC "Optimistic debits"): a `{ version }`
 * (and `epoch`) settles the delta without a request; a valid `balance` with it is shown at once.
 * Anything else is an answer without a version: one revalidation is owed.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { CommitPayload } from '../../machines/events.js';
import { isFiniteNumber, isRecord } from './shared.js';
import { validateFetched } from './validate.js';

export async function readCommitAnswer(
  result: unknown,
  schema: StandardSchemaV1 | undefined,
): Promise<CommitPayload> {
  if (!isRecord(result)) return { version: null, epoch: null };
  try {
    // A full server value: it passes the same checks (and schema) as a fetched response.
    const { balance, version, epoch, updatedAt } = await validateFetched(result, schema);
    return { balance, version, epoch, updatedAt };
  } catch {
    return {
      version: isFiniteNumber(result.version) ? result.version : null,
      epoch: typeof result.epoch === 'string' ? result.epoch : null,
    };
  }
}
