/**
 * Validation of untrusted input: fetched payloads and events from sources or `send()`.
 * Invariant 6: bad input is rejected with a reason, never thrown into the app, never shown.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { FetchedBalance } from '../../machines/context.js';
import type { BalanceEvent } from '../../machines/events.js';
import { balanceEventTypes } from '../../machines/events.js';
import { toEpochMs } from '../../machines/policy.js';
import { BalanceValidationError } from './errors.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const isRecord = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw);

const isFiniteNumber = (raw: unknown): raw is number =>
  typeof raw === 'number' && Number.isFinite(raw);

function checkPayloadFields(raw: Record<string, unknown>): string | null {
  if (!isFiniteNumber(raw.balance)) return 'balance is not a finite number';
  const { version, updatedAt } = raw;
  if (version !== undefined && version !== null && !isFiniteNumber(version)) {
    return 'version is not a finite number';
  }
  if (updatedAt !== undefined && updatedAt !== null && toEpochMs(updatedAt as never) === null) {
    return 'updatedAt is neither epoch ms nor a date string';
  }
  return null;
}

/** Runs a Standard Schema; sync schemas stay sync so `send()` can apply pushes at once. */
export function runSchema(
  schema: StandardSchemaV1 | undefined,
  raw: unknown,
): Checked<unknown> | Promise<Checked<unknown>> {
  if (schema === undefined) return { ok: true, value: raw };
  const toChecked = (result: StandardSchemaV1.Result<unknown>): Checked<unknown> =>
    result.issues
      ? { ok: false, reason: `schema: ${result.issues.map((issue) => issue.message).join('; ')}` }
      : { ok: true, value: result.value };
  try {
    const result = schema['~standard'].validate(raw);
    return result instanceof Promise
      ? result.then(toChecked, (error: unknown) => ({
          ok: false,
          reason: `schema threw: ${String(error)}`,
        }))
      : toChecked(result);
  } catch (error) {
    return { ok: false, reason: `schema threw: ${String(error)}` };
  }
}

/** Validates what `fetchBalance` resolved with; throws BalanceValidationError into the machine. */
export async function validateFetched(
  raw: unknown,
  schema: StandardSchemaV1 | undefined,
): Promise<FetchedBalance> {
  if (!isRecord(raw)) throw new BalanceValidationError('response is not an object');
  const schemaChecked = await runSchema(schema, raw);
  if (!schemaChecked.ok) throw new BalanceValidationError(schemaChecked.reason);
  const value = schemaChecked.value;
  if (!isRecord(value)) throw new BalanceValidationError('schema output is not an object');
  const problem = checkPayloadFields(value);
  if (problem !== null) throw new BalanceValidationError(problem);
  return {
    balance: value.balance as number,
    version: isFiniteNumber(value.version) ? value.version : null,
    updatedAt: toEpochMs(value.updatedAt as number | string | null | undefined),
  };
}

const knownTypes = new Set<string>(balanceEventTypes);

/** Shape check of an event from a source or `send()`; value checks for payload events. */
export function checkEvent(raw: unknown): Checked<BalanceEvent> {
  if (!isRecord(raw) || typeof raw.type !== 'string') {
    return { ok: false, reason: 'event is not an object with a type' };
  }
  if (!knownTypes.has(raw.type)) return { ok: false, reason: `unknown event type ${raw.type}` };
  switch (raw.type) {
    case 'SOCKET.BALANCE_UPDATED':
    case 'TAB.BALANCE': {
      if (typeof raw.userId !== 'string' || raw.userId === '') {
        return { ok: false, reason: 'userId is not a non-empty string' };
      }
      const problem = checkPayloadFields(raw);
      if (problem !== null) return { ok: false, reason: problem };
      return {
        ok: true,
        value: {
          type: raw.type,
          userId: raw.userId,
          balance: raw.balance as number,
          version: isFiniteNumber(raw.version) ? raw.version : null,
          updatedAt: toEpochMs(raw.updatedAt as number | string | null | undefined),
        },
      };
    }
    case 'SOCKET.INVALIDATE':
    case 'TAB.FETCH_STARTED':
      return typeof raw.userId === 'string'
        ? { ok: true, value: { type: raw.type, userId: raw.userId } }
        : { ok: false, reason: 'userId is not a string' };
    case 'USER.CHANGED':
    case 'TAB.USER_CHANGED':
    case 'TAB.INVALIDATED':
      return raw.userId === null || (typeof raw.userId === 'string' && raw.userId !== '')
        ? { ok: true, value: { type: raw.type, userId: raw.userId } }
        : { ok: false, reason: 'userId is neither a non-empty string nor null' };
    case 'REFRESH':
      return { ok: true, value: { type: 'REFRESH', skipCache: raw.skipCache === true } };
    case 'INVALIDATE':
      return typeof raw.reason === 'string'
        ? { ok: true, value: { type: 'INVALIDATE', reason: raw.reason } }
        : { ok: true, value: { type: 'INVALIDATE' } };
    default:
      // Payload-free events: rebuild them so extra fields never reach the machine.
      return { ok: true, value: { type: raw.type } as BalanceEvent };
  }
}
