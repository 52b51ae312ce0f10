/** A payload (response, push, stored entry) failed validation. Never thrown into the app. */
export class BalanceValidationError extends Error {
  /** Always `BalanceValidationError`. */
  override name = 'BalanceValidationError';
}

/**
 * An option passed to `createBalanceSync` or to a source (`websocketSource`, `sseSource`,
 * `crossTabSource`) has the wrong type: a programming error, thrown at once. `option` names it.
 */
export class BalanceConfigError extends TypeError {
  /** Always `BalanceConfigError`. */
  override name = 'BalanceConfigError';
  constructor(
    /** The option at fault, e.g. `fetchBalance` or `retry.attempts`. */
    readonly option: string,
    message: string,
  ) {
    super(`balance-sync: ${option} ${message}`);
  }
}

/** Throws a `BalanceConfigError` naming `option` unless `ok`: a programming error, at creation. */
export function need(ok: boolean, option: string, message: string): void {
  if (!ok) throw new BalanceConfigError(option, message);
}

/**
 * An option's value is out of range (e.g. `ttlMs` below 1 s, a source's `heartbeatMs` past the
 * longest timer): thrown at creation.
 */
export class BalanceRangeError extends RangeError {
  /** Always `BalanceRangeError`. */
  override name = 'BalanceRangeError';
  constructor(
    /** The option at fault, e.g. `ttlMs`. */
    readonly option: string,
    message: string,
  ) {
    super(`balance-sync: ${option} ${message}`);
  }
}
