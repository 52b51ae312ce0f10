/**
 * Validation of untrusted input: fetched payloads, pushes, hellos, commit answers and events from
 * sources or `send()`. Invariant 6: bad input is rejected with a reason, never thrown into the
 * app, never shown. The schema, when given, sees the raw payload (never a field the library
 * added) and its output is what is checked and shown.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { valueProblem } from '../../machines/amounts.js';
import type { FetchedBalance } from '../../machines/context.js';
import type { BalanceEvent, PushedBalance } from '../../machines/events.js';
import { balanceEventTypes } from '../../machines/events.js';
import { fetchedOf } from '../../machines/landing.js';
import { toEpochMs } from '../../machines/policy.js';
import { BalanceValidationError } from './errors.js';
import {
  type Checked,
  describeError,
  fail,
  isFiniteNumber,
  isPromiseLike,
  isRecord,
  isUserId,
  pass,
  readPlain,
  readSafely,
} from './shared.js';

/** The known fields of a payload, checked: an amount, a version, an epoch, a time. */
function readPayload(raw: Record<string, unknown>): Checked<FetchedBalance> {
  const updatedAt = raw.updatedAt as number | string | null | undefined;
  const problem =
    valueProblem(raw) ??
    (updatedAt != null && toEpochMs(updatedAt) === null
      ? 'updatedAt is neither epoch ms nor a date string'
      : null);
  return problem !== null ? fail(problem) : pass(fetchedOf(raw as never));
}

function readPush(raw: Record<string, unknown>): Checked<PushedBalance> {
  if (!isUserId(raw.userId)) return fail('userId is not a non-empty string');
  const payload = readPayload(raw);
  return payload.ok ? pass({ ...payload.value, userId: raw.userId }) : payload;
}

/**
 * A schema's message with its numbers masked: some libraries quote the rejected value
 * ("Expected >=0 but received -4242"), and balances are never logged.
 */
const withoutAmounts = (message: string): string =>
  message.replace(/\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, '#');

/**
 * How long an async schema may take. Pushes are checked in order, and a response's check holds
 * its request open: a check that never settles would block every later push and leave the
 * sync fetching for good, so it fails instead, with a reason.
 */
export const SCHEMA_DEADLINE_MS = 10_000;

function withinDeadline<T>(
  promise: PromiseLike<T>,
  onLate: () => T,
  signal: AbortSignal | undefined,
  onAbort: () => T,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stop = (): void => {};
  const cut = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onLate()), SCHEMA_DEADLINE_MS);
    // `stop()` ended what asked (the request, the connection): no timer outlives it (invariant 7).
    stop = () => resolve(onAbort());
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
  });
  return Promise.race([Promise.resolve(promise), cut]).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  });
}

/** Runs a Standard Schema; sync schemas stay sync so `send()` can apply pushes at once. */
export function runSchema(
  schema: StandardSchemaV1 | undefined,
  raw: unknown,
  signal?: AbortSignal,
): Checked<unknown> | Promise<Checked<unknown>> {
  if (schema === undefined) return pass(raw);
  const threw = (error: unknown) => fail(`schema threw: ${describeError(error)}`);
  // A malformed result (none, an `issues` that throws) is the schema's failure, whether it
  // came at once or in a promise: rejected with a reason, never dropped without one.
  const toChecked = (result: StandardSchemaV1.Result<unknown>): Checked<unknown> => {
    try {
      return result.issues
        ? fail(`schema: ${result.issues.map((issue) => withoutAmounts(issue.message)).join('; ')}`)
        : pass(result.value);
    } catch (error) {
      return threw(error);
    }
  };
  try {
    const result = schema['~standard'].validate(raw);
    return isPromiseLike(result)
      ? withinDeadline(
          Promise.resolve(result).then(toChecked, threw),
          () => fail(`schema did not answer within ${SCHEMA_DEADLINE_MS} ms`),
          signal,
          () => fail('schema check abandoned: the sync stopped'),
        )
      : toChecked(result);
  } catch (error) {
    return threw(error);
  }
}

/**
 * The schema's output over the raw payload: a schema that transforms `balance` wins, while the
 * ordering and identity fields it does not declare (an object schema strips unknown keys) are
 * still read from what the server sent.
 */
function merged(raw: Record<string, unknown>, output: unknown): Checked<Record<string, unknown>> {
  if (!isRecord(output)) return fail('schema output is not an object');
  const kept: Record<string, unknown> = {};
  for (const key of ['userId', 'version', 'epoch', 'updatedAt'] as const) {
    if (key in raw) kept[key] = raw[key];
  }
  return pass({ ...kept, ...output });
}

type MaybeAsync<T> = T | Promise<T>;

/** Runs `ok` or `failed` with a check's outcome: at once when it is synchronous. */
export function whenValid<T>(
  checked: MaybeAsync<Checked<T>>,
  ok: (value: T) => void,
  failed: (reason: string) => void,
): void | Promise<void> {
  const apply = (result: Checked<T>) => (result.ok ? ok(result.value) : failed(result.reason));
  return checked instanceof Promise ? checked.then(apply) : apply(checked);
}

function thenChecked<A, B>(input: MaybeAsync<Checked<A>>, next: (value: A) => Checked<B>) {
  const apply = (checked: Checked<A>): Checked<B> => (checked.ok ? next(checked.value) : checked);
  return input instanceof Promise ? input.then(apply) : apply(input);
}

/** A pushed payload (socket message, hello): schema first, then the shape the core needs. */
export function validatePush(
  raw: unknown,
  schema: StandardSchemaV1 | undefined,
  signal?: AbortSignal,
): MaybeAsync<Checked<PushedBalance>> {
  return readSafely(() => {
    if (!isRecord(raw)) return fail('payload is not an object');
    return thenChecked(runSchema(schema, raw, signal), (output) => {
      const value = merged(raw, output);
      return value.ok ? readPush(value.value) : value;
    });
  });
}

/**
 * An answer (a response, a commit's) that names another user than the one it was requested for:
 * a proxy, cache or server that mixed up sessions (invariant 1). One that names no user, or not
 * as a string (a numeric id), is taken as the requested user's.
 */
export const ofAnotherUser = (answer: Record<string, unknown>, userId: string): boolean =>
  typeof answer.userId === 'string' && answer.userId !== userId;

/**
 * What `fetchBalance` (or a commit) resolved with, for `userId`'s request; rejections become
 * BalanceValidationError.
 */
export async function validateFetched(
  raw: unknown,
  schema: StandardSchemaV1 | undefined,
  userId: string,
  signal?: AbortSignal,
): Promise<FetchedBalance> {
  // A response that cannot be read is an invalid payload (kind `validation`), not a failed request.
  const checked = await readSafely(() => {
    if (!isRecord(raw)) return fail('response is not an object');
    if (ofAnotherUser(raw, userId)) return fail('answer for another user');
    return thenChecked(runSchema(schema, raw, signal), (output) => {
      const value = merged(raw, output);
      return value.ok ? readPayload(value.value) : value;
    });
  });
  if (!checked.ok) throw new BalanceValidationError(checked.reason);
  return checked.value;
}

const knownTypes = new Set<string>(balanceEventTypes);

/**
 * Shape check of an event from a source or `send()`. Payload events keep their raw payload for
 * the schema (`validatePush`); another tab's value was validated by that tab and is only checked.
 */
export const checkEvent = (raw: unknown): Checked<BalanceEvent> =>
  readSafely(() => checkShape(readPlain(raw)));

function checkShape(raw: unknown): Checked<BalanceEvent> {
  if (!isRecord(raw) || typeof raw.type !== 'string') {
    return fail('event is not an object with a type');
  }
  if (!knownTypes.has(raw.type)) return fail(`unknown event type ${raw.type}`);
  switch (raw.type) {
    case 'SOCKET.BALANCE_UPDATED': {
      // As the server sent it (the schema sees that); `validatePush` checks it next. Copied
      // here, where reading a class instance's throwing getter rejects it.
      return pass({ ...raw } as unknown as BalanceEvent);
    }
    case 'TAB.BALANCE': {
      const push = readPush(raw);
      if (!push.ok) return push;
      const observed = isFiniteNumber(raw.observedAt) ? { observedAt: raw.observedAt } : {};
      return pass({ type: 'TAB.BALANCE', ...push.value, ...observed });
    }
    case 'SOCKET.CONNECTED':
      return pass({
        type: 'SOCKET.CONNECTED',
        ...(raw.resumed === true ? { resumed: true } : {}),
        ...(typeof raw.userId === 'string' ? { userId: raw.userId } : {}),
        ...(raw.relayed === true ? { relayed: true } : {}),
        ...(raw.relayed === true && isFiniteNumber(raw.connectedAt)
          ? { connectedAt: raw.connectedAt }
          : {}),
        ...(raw.hello === undefined || raw.hello === null ? {} : { hello: raw.hello as never }),
      });
    case 'SOCKET.INVALIDATE':
    case 'TAB.FETCH_STARTED':
      return typeof raw.userId === 'string'
        ? pass({ type: raw.type, userId: raw.userId })
        : fail('userId is not a string');
    case 'USER.CHANGED':
    case 'TAB.USER_CHANGED':
    case 'TAB.INVALIDATED': {
      // `undefined` is a sign-out, as `session?.userId` writes it (SPEC).
      const userId = raw.userId ?? null;
      return userId === null || (typeof userId === 'string' && userId !== '')
        ? pass({ type: raw.type, userId })
        : fail('userId is neither a non-empty string nor null');
    }
    case 'REFRESH':
      return pass({ type: 'REFRESH', skipCache: raw.skipCache === true });
    case 'INVALIDATE':
      return typeof raw.reason === 'string'
        ? pass({ type: 'INVALIDATE', reason: raw.reason })
        : pass({ type: 'INVALIDATE' });
    default:
      // Payload-free events: rebuild them so extra fields never reach the machine.
      return pass({ type: raw.type } as BalanceEvent);
  }
}
