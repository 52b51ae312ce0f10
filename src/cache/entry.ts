/**
 * Converting between the machine's BalanceValue and the stored entry, and validating what
 * comes back from storage (corrupt, tampered, another user's, from a future clock).
 */
import { valueProblem } from '../../machines/amounts.js';
import type { BalanceValue } from '../../machines/context.js';
import { fetchedOf } from '../../machines/landing.js';
import { fail, isFiniteNumber, isRecord, pass } from '../core/shared.js';
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
 * trusted). An entry stamped in the future (clock moved back, tampering) cannot be dated: it is
 * taken as received now and due now, so it is stale at once and `maxStaleMs` still ends it (an
 * age counted from a future stamp would never reach it). An entry whose fields cannot be read (a
 * custom layer's object with a throwing getter) is rejected like a corrupt one.
 */
export function checkStoredEntry(
  raw: unknown,
  userId: string,
  ttlMs: number,
  now: number,
): EntryCheck {
  try {
    return checkReadable(raw, userId, ttlMs, now);
  } catch {
    return fail('entry cannot be read');
  }
}

function checkReadable(raw: unknown, userId: string, ttlMs: number, now: number): EntryCheck {
  if (!isRecord(raw)) return fail('entry is not an object');
  const { data, timestamp, expiresAt } = raw;
  const problem = !isRecord(data)
    ? 'entry has no data object'
    : data.userId !== userId
      ? 'entry belongs to another user'
      : (valueProblem(data) ??
        (!isFiniteNumber(timestamp)
          ? 'timestamp is not a finite number'
          : expiresAt !== null && !isFiniteNumber(expiresAt)
            ? 'expiresAt is neither a number nor null'
            : null));
  if (problem !== null) return fail(problem);
  const { updatedAt } = data as Record<string, unknown>;
  const at = timestamp as number;
  return pass({
    userId,
    // A stored `updatedAt` is epoch ms or nothing.
    ...fetchedOf({
      ...(data as { balance: number }),
      updatedAt: isFiniteNumber(updatedAt) ? updatedAt : null,
    }),
    timestamp: Math.min(at, now),
    expiresAt:
      at > now ? now : Math.min((expiresAt ?? Number.POSITIVE_INFINITY) as number, at + ttlMs),
  });
}
