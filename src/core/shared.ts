/** Small helpers the core, the cache layers and the sources share (one definition each). */

export const isRecord = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw);

export const isFiniteNumber = (raw: unknown): raw is number => Number.isFinite(raw);

/**
 * A promise, of this realm or not: a layer backed by an iframe's store, a worker bridge or a
 * library's own promise type answers with one that `instanceof Promise` does not recognise.
 */
export const isPromiseLike = (raw: unknown): raw is PromiseLike<unknown> =>
  (typeof raw === 'object' || typeof raw === 'function') &&
  raw !== null &&
  typeof (raw as { then?: unknown }).then === 'function';

/** A signed-in user's id: a non-empty string. */
export const isUserId = (raw: unknown): raw is string => typeof raw === 'string' && raw.length > 0;

/**
 * An error as a log line, with the query and fragment of any URL in it cut: a push URL may carry
 * a token (`?token=…`), and an error that quotes it (an invalid or unreachable URL) must not put
 * it in the logs.
 */
export function describeError(error: unknown): string {
  try {
    return redactQueries(
      error instanceof Error
        ? `${error.name}: ${error.message}`
        : (eventText(error) ?? String(error)),
    );
  } catch {
    return 'an error that cannot be described';
  }
}

/** A DOM or `ws` event given as an error (a socket's close or error event), not `[object Object]`. */
function eventText(error: unknown): string | null {
  if (!isRecord(error) || typeof error.type !== 'string') return null;
  const { type, code, reason, message } = error;
  const details = [
    typeof code === 'number' ? `code ${code}` : '',
    typeof reason === 'string' ? reason : '',
    typeof message === 'string' ? message : '',
  ].filter((part) => part !== '');
  return `${type} event${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/**
 * A plain copy of what an outside object holds (an event, a commit's answer), read once: a
 * getter or proxy trap that throws (a socket client's frame object, a revoked proxy) throws here,
 * where the caller rejects the input, and not later in the middle of a check or a transition.
 * Plain objects and arrays are copied; other objects (a `Date`) are kept as they are.
 */
export function readPlain(raw: unknown, depth = 0): unknown {
  if (typeof raw !== 'object' || raw === null || depth > 8) return raw;
  if (Array.isArray(raw)) return raw.map((item) => readPlain(item, depth + 1));
  const prototype = Object.getPrototypeOf(raw);
  if (prototype !== Object.prototype && prototype !== null) return raw;
  const record = raw as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record).map((key) => [key, readPlain(record[key], depth + 1)]),
  );
}

/** A URL's query or fragment with parameters in it (`?token=…`, `#access_token=…`), cut. */
export const redactQueries = (text: string): string =>
  text.replace(/[?#][^\s"'`)]*=[^\s"'`)]*/g, '?…');

/** An outcome of a check: the value, or why it was rejected. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };
export const pass = <T>(value: T) => ({ ok: true, value }) as const;
export const fail = (reason: string) => ({ ok: false, reason }) as const;

/**
 * Runs a check that reads an outside object (an event, a payload, a schema's result or output,
 * a commit's answer): a getter or proxy trap that throws there, at once or in the check's
 * promise, rejects the input instead of throwing into the app or making it vanish without a
 * reason (invariant 6). `readPlain` cannot make every input safe first: it keeps a class
 * instance (a socket client's frame) as it is, and a schema's result is read after it.
 */
export function readSafely<T>(check: () => Checked<T>): Checked<T>;
export function readSafely<T>(
  check: () => Checked<T> | Promise<Checked<T>>,
): Checked<T> | Promise<Checked<T>>;
export function readSafely<T>(
  check: () => Checked<T> | Promise<Checked<T>>,
): Checked<T> | Promise<Checked<T>> {
  const unreadable = (error: unknown) => fail(`could not be read (${describeError(error)})`);
  try {
    const checked = check();
    return checked instanceof Promise ? checked.catch(unreadable) : checked;
  } catch (error) {
    return unreadable(error);
  }
}

/** An object with these methods (a logger, a cache layer, a socket client). */
export const hasMethods =
  (...methods: string[]) =>
  (value: unknown): boolean =>
    isRecord(value) && methods.every((method) => typeof value[method] === 'function');
