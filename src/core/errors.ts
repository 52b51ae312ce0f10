/** A payload (response, push, stored entry) failed validation. Never thrown into the app. */
export class BalanceValidationError extends Error {
  override name = 'BalanceValidationError';
}

/**
 * An option passed to `createBalanceSync` has the wrong type: a programming error, thrown at
 * once. `option` names it.
 */
export class BalanceConfigError extends TypeError {
  override name = 'BalanceConfigError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`balance-sync: ${option} ${message}`);
  }
}

/** An option's value is out of range (e.g. `ttlMs` below 1 s): thrown at creation. */
export class BalanceRangeError extends RangeError {
  override name = 'BalanceRangeError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`balance-sync: ${option} ${message}`);
  }
}
