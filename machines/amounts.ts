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

/** A number's shortest decimal form as an integer and its places: `1.25` → 125n, 2; `1e-7` → 1n, 7. */
function decimalOf(value: number): { digits: bigint; places: number } {
  const [mantissa = '0', exponent = '0'] = String(value).split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  const places = fraction.length - Number(exponent);
  const digits = BigInt(whole + fraction);
  return places >= 0 ? { digits, places } : { digits: digits * 10n ** BigInt(-places), places: 0 };
}

const scaledTo = (decimal: { digits: bigint; places: number }, places: number): bigint =>
  decimal.digits * 10n ** BigInt(places - decimal.places);

/** `digits` scaled down by `places`, as a decimal string (`-12345n, 2` → `-123.45`). */
function decimalString(digits: bigint, places: number): string {
  const sign = digits < 0n ? '-' : '';
  const text = (digits < 0n ? -digits : digits).toString().padStart(places + 1, '0');
  return places === 0
    ? `${sign}${text}`
    : `${sign}${text.slice(0, -places)}.${text.slice(-places)}`;
}

/**
 * The sum of amounts as decimals (each as its shortest decimal form, added exactly), when a
 * number is that decimal: `100.3 - 0.1` is `100.2`. Null when no number is: an integer past the
 * safe range, or a decimal whose nearest number is another one (`99999999.12345678 - 0.00000001`
 * is `99999999.12345677`, which no double holds): showing that number would round silently.
 */
export function exactSum(...amounts: number[]): number | null {
  if (!amounts.every(Number.isFinite)) return null;
  const decimals = amounts.map(decimalOf);
  const places = Math.max(0, ...decimals.map((decimal) => decimal.places));
  const total = decimals.reduce((sum, decimal) => sum + scaledTo(decimal, places), 0n);
  const result = normaliseAmount(Number(decimalString(total, places)));
  const back = decimalOf(result);
  if (back.places > places || scaledTo(back, places) !== total) return null;
  return Number.isInteger(result) && !Number.isSafeInteger(result) ? null : result;
}

/** `exactSum`, falling back to plain addition where no exact result exists. */
export function addAmounts(...amounts: number[]): number {
  return exactSum(...amounts) ?? normaliseAmount(amounts.reduce((sum, amount) => sum + amount, 0));
}
