import type { BalanceLogger } from '../types.js';

const noop = (): void => {};

/** A logger that writes nothing: what `logger: false` means, and handy in tests. */
export const silentLogger: BalanceLogger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * `process.env.NODE_ENV`, written out so that bundlers (Vite, webpack, Next.js) replace it with
 * the literal; a browser page without a bundler has no `process`, which is caught.
 */
function nodeEnv(): string | undefined {
  try {
    return process.env.NODE_ENV;
  } catch {
    return undefined;
  }
}

/**
 * Default logger: readable one-liners (`cache hit (localStorage)`) only in development
 * (`NODE_ENV=development`, as Vite's and Next.js's dev servers set it); warnings and errors
 * when `NODE_ENV` is unset (a plain Node script); errors only in production. Messages never
 * include balances or tokens; details carry ids and reasons.
 */
export function defaultLogger(): BalanceLogger {
  const prefix = '[balance-sync]';
  const line =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, details?: Record<string, unknown>): void => {
      if (details === undefined) console[method](prefix, message);
      else console[method](prefix, message, details);
    };
  const env = nodeEnv();
  if (env === 'production') return { ...silentLogger, error: line('error') };
  if (env === 'development') {
    return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  }
  return { ...silentLogger, warn: line('warn'), error: line('error') };
}

export function resolveLogger(option: BalanceLogger | false | undefined): BalanceLogger {
  if (option === false) return silentLogger;
  return option ?? defaultLogger();
}
