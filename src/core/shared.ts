/** Small helpers the core, the cache layers and the sources share (one definition each). */

export const isRecord = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw);

export const isFiniteNumber = (raw: unknown): raw is number => Number.isFinite(raw);

/** A signed-in user's id: a non-empty string. */
export const isUserId = (raw: unknown): raw is string => typeof raw === 'string' && raw.length > 0;

/**
 * An error as a log line, with the query and fragment of any URL in it cut: a push URL may carry
 * a token (`?token=…`), and an error that quotes it (an invalid or unreachable URL) must not put
 * it in the logs.
 */
export const describeError = (error: unknown): string =>
  redactQueries(error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** A URL's query or fragment with parameters in it (`?token=…`, `#access_token=…`), cut. */
export const redactQueries = (text: string): string =>
  text.replace(/[?#][^\s"'`)]*=[^\s"'`)]*/g, '?…');

/** An outcome of a check: the value, or why it was rejected. */
export const pass = <T>(value: T) => ({ ok: true, value }) as const;
export const fail = (reason: string) => ({ ok: false, reason }) as const;
