/**
 * Converting between the machine's BalanceValue and the stored entry, and validating what
 * comes back from storage (corrupt, tampered, another user's, from a future clock).
 */
import { amountProblem, normaliseAmount } from '../../machines/amounts.js';
import type { BalanceValue } from '../../machines/context.js';
import { isFiniteNumber, isRecord } from '../core/shared.js';
import type { StoredEntry } from './layer.js';

export type EntryCheck = { ok: true; value: BalanceValue } | { ok: false; reason: string };

export function toStoredEntry(value: BalanceValue): StoredEntry {
  const data: StoredEntry['data'] = { balance: value.balance, userId: value.userId };
  if (value.version !== null) data.version = value.version;
  if (value.epoch !== null) data.epoch = value.epoch;
  if (value.updatedAt !== null) data.updatedAt = value.updatedAt;
  return {
    data,
    timestamp: value.timestamp,
    expiresAt: Number.isFinite(value.expiresAt) ? value.expiresAt : null,
  };
}

/**
 * Validates a stored entry for `userId`. Copies only known fields into a fresh object, so
 * extra or prototype-polluting keys never travel further. The effective expiry is never later
 * than `timestamp + ttlMs` of the current configuration (a stored far-future `expiresAt` is not
 * trusted), and an entry stamped in the future (clock moved back, tampering) is due now.
 */
export function checkStoredEntry(
  raw: unknown,
  userId: string,
  ttlMs: number,
  now: number,
): EntryCheck {
  if (!isRecord(raw)) return { ok: false, reason: 'entry is not an object' };
  const { data, timestamp, expiresAt } = raw;
  if (!isRecord(data)) return { ok: false, reason: 'entry has no data object' };
  if (data.userId !== userId) return { ok: false, reason: 'entry belongs to another user' };
  const problem = amountProblem(data.balance);
  if (problem !== null) return { ok: false, reason: `balance ${problem}` };
  if (data.version !== undefined && data.version !== null && !isFiniteNumber(data.version)) {
    return { ok: false, reason: 'version is not a finite number' };
  }
  if (data.epoch !== undefined && data.epoch !== null && typeof data.epoch !== 'string') {
    return { ok: false, reason: 'epoch is not a string' };
  }
  if (!isFiniteNumber(timestamp)) return { ok: false, reason: 'timestamp is not a finite number' };
  if (expiresAt !== null && !isFiniteNumber(expiresAt)) {
    return { ok: false, reason: 'expiresAt is neither a number nor null' };
  }
  const stored = expiresAt === null ? Number.POSITIVE_INFINITY : expiresAt;
  const effective = timestamp > now ? now : Math.min(stored, timestamp + ttlMs);
  return {
    ok: true,
    value: {
      userId,
      balance: normaliseAmount(data.balance as number),
      version: isFiniteNumber(data.version) ? data.version : null,
      epoch: typeof data.epoch === 'string' ? data.epoch : null,
      updatedAt: isFiniteNumber(data.updatedAt) ? data.updatedAt : null,
      timestamp,
      expiresAt: effective,
    },
  };
}
