import type { BalanceLogger } from '../types.js';

const noop = (): void => {};

export const silentLogger: BalanceLogger = { debug: noop, info: noop, warn: noop, error: noop };

const isProduction = (): boolean =>
  typeof process !== 'undefined' && process.env?.NODE_ENV === 'production';

/**
 * Default logger: readable one-liners in development (`cache hit (localStorage)`), errors
 * only in production. Messages never include balances or tokens; details carry ids and reasons.
 */
export function defaultLogger(): BalanceLogger {
  const prefix = '[balance-sync]';
  const line =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, details?: Record<string, unknown>): void => {
      if (details === undefined) console[method](prefix, message);
      else console[method](prefix, message, details);
    };
  if (isProduction()) return { ...silentLogger, error: line('error') };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

export function resolveLogger(option: BalanceLogger | false | undefined): BalanceLogger {
  if (option === false) return silentLogger;
  return option ?? defaultLogger();
}
