/**
 * Amounts are exact (SPEC invariant 8): no balance is rounded silently, and adding deltas to a
 * decimal balance gives the decimal result (100.3 - 0.1 is 100.2, not 100.19999999999999).
 */

/** Why a number cannot be shown as a balance or used as a delta, or null when it can. */
export function amountProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'is not a finite number';
  // Past 2^53 integers are already rounded by JSON.parse or arithmetic: 9007199254740993 arrives
  // as 9007199254740992. Refuse it rather than show a number the server never sent.
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return 'is an integer outside the safe range (it would be rounded)';
  }
  return null;
}

/**
 * Why a value's balance, version or epoch cannot be taken, or null: the one check of responses,
 * pushes, stored entries and initial data.
 */
export function valueProblem(raw: { balance?: unknown; version?: unknown; epoch?: unknown }) {
  const problem = amountProblem(raw.balance);
  return problem !== null
    ? `balance ${problem}`
    : raw.version != null && !Number.isFinite(raw.version)
      ? 'version is not a finite number'
      : raw.epoch != null && typeof raw.epoch !== 'string'
        ? 'epoch is not a string'
        : null;
}

/** `-0` is shown as `0`: a balance has no sign of zero. */
export const normaliseAmount = (value: number): number => (Object.is(value, -0) ? 0 : value);

/** Digits after the decimal point in the shortest representation of `value` (`1e-7` → 7). */
function decimals(value: number): number {
  const [mantissa = '', exponent = '0'] = String(value).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/** Past this magnitude a number cannot carry a cent, let alone a tenth of one: 2^49. */
const FRACTION_LIMIT = 2 ** 49;

/**
 * The sum of decimal amounts as a decimal would give it (scaled to integers, added, scaled
 * back). Where scaling cannot carry the decimals (a float from the server, `100 / 3`), the
 * plain sum, which is then the best a number can do. Null when no number can hold the result:
 * an integer past the safe range, or a fraction on a magnitude too large to keep it.
 */
export function exactSum(...amounts: number[]): number | null {
  const places = Math.max(0, ...amounts.map(decimals));
  const scale = 10 ** places;
  const scaled = amounts.map((amount) => Math.round(amount * scale));
  const total = scaled.reduce((sum, amount) => sum + amount, 0);
  if (places <= 15 && Number.isSafeInteger(total) && scaled.every(Number.isSafeInteger)) {
    return normaliseAmount(total / scale);
  }
  const sum = amounts.reduce((acc, amount) => acc + amount, 0);
  const largest = Math.max(Math.abs(sum), ...amounts.map(Math.abs));
  if (!Number.isFinite(sum) || largest > Number.MAX_SAFE_INTEGER) return null;
  if (places > 0 && largest >= FRACTION_LIMIT) return null;
  return normaliseAmount(sum);
}

/** `exactSum`, falling back to plain addition where no exact result exists. */
export function addAmounts(...amounts: number[]): number {
  return exactSum(...amounts) ?? normaliseAmount(amounts.reduce((sum, amount) => sum + amount, 0));
}
