/** A payload (response, push, stored entry) failed validation. Never thrown into the app. */
export class BalanceValidationError extends Error {
  override name = 'BalanceValidationError';
}

/** Options passed to `createBalanceSync` are unusable: a programming error, thrown at once. */
export class BalanceConfigError extends TypeError {
  override name = 'BalanceConfigError';
}
