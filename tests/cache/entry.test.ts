import { describe, expect, it } from 'vitest';
import { checkStoredEntry, toStoredEntry } from '../../src/cache/entry.js';

const now = 1_700_000_000_000;
const good = {
  data: { balance: 999, userId: 'u1', version: 7 },
  timestamp: now - 1_000,
  expiresAt: now + 29_000,
};

describe('toStoredEntry', () => {
  it('writes the SPEC format with both times', () => {
    const entry = toStoredEntry({
      userId: 'u1',
      balance: 999,
      version: 7,
      epoch: null,
      updatedAt: null,
      timestamp: now,
      expiresAt: now + 30_000,
    });
    expect(JSON.stringify(entry)).toBe(
      `{"data":{"balance":999,"userId":"u1","version":7},"timestamp":${now},"expiresAt":${now + 30_000}}`,
    );
  });

  it('stores an infinite TTL as null, since JSON has no Infinity', () => {
    const entry = toStoredEntry({
      userId: 'u1',
      balance: 1,
      version: null,
      epoch: null,
      updatedAt: null,
      timestamp: now,
      expiresAt: Number.POSITIVE_INFINITY,
    });
    expect(entry.expiresAt).toBeNull();
    expect(entry.data).toEqual({ balance: 1, userId: 'u1' });
  });
});

describe('checkStoredEntry', () => {
  it('accepts a well-formed entry of the same user', () => {
    const checked = checkStoredEntry(good, 'u1', 30_000, now);
    expect(checked).toEqual({
      ok: true,
      value: {
        userId: 'u1',
        balance: 999,
        version: 7,
        epoch: null,
        updatedAt: null,
        timestamp: now - 1_000,
        expiresAt: now + 29_000,
      },
    });
  });

  it.each([
    [
      'another user',
      { ...good, data: { ...good.data, userId: 'u2' } },
      'entry belongs to another user',
    ],
    [
      'NaN balance',
      { ...good, data: { ...good.data, balance: Number.NaN } },
      'balance is not a finite number',
    ],
    [
      'string balance',
      { ...good, data: { ...good.data, balance: '999' } },
      'balance is not a finite number',
    ],
    [
      'huge balance',
      { ...good, data: { ...good.data, balance: Number.POSITIVE_INFINITY } },
      'balance is not a finite number',
    ],
    [
      'string version',
      { ...good, data: { ...good.data, version: '7' } },
      'version is not a finite number',
    ],
    [
      'missing timestamp',
      { data: good.data, expiresAt: good.expiresAt },
      'timestamp is not a finite number',
    ],
    ['string expiresAt', { ...good, expiresAt: 'later' }, 'expiresAt is neither a number nor null'],
    ['array', [good], 'entry is not an object'],
    ['no data', { timestamp: now, expiresAt: now }, 'entry has no data object'],
    ['null', null, 'entry is not an object'],
  ])('rejects %s', (_, raw, reason) => {
    expect(checkStoredEntry(raw, 'u1', 30_000, now)).toEqual({ ok: false, reason });
  });

  it('does not let a stored far-future expiresAt outlive the configured TTL', () => {
    const checked = checkStoredEntry({ ...good, expiresAt: now + 10 ** 12 }, 'u1', 30_000, now);
    expect(checked.ok && checked.value.expiresAt).toBe(now - 1_000 + 30_000);
  });

  it('treats an entry stamped in the future (clock moved back, tampering) as due now', () => {
    const checked = checkStoredEntry({ ...good, timestamp: now + 3_600_000 }, 'u1', 30_000, now);
    expect(checked.ok && checked.value.expiresAt).toBe(now);
  });

  it('reads a null expiresAt as an infinite TTL only when the TTL is infinite', () => {
    const raw = { ...good, expiresAt: null };
    const infinite = checkStoredEntry(raw, 'u1', Number.POSITIVE_INFINITY, now);
    expect(infinite.ok && infinite.value.expiresAt).toBe(Number.POSITIVE_INFINITY);
    const finite = checkStoredEntry(raw, 'u1', 30_000, now);
    expect(finite.ok && finite.value.expiresAt).toBe(now - 1_000 + 30_000);
  });

  it('drops extra and prototype-polluting keys', () => {
    const raw = JSON.parse(
      '{"data":{"balance":5,"userId":"u1","__proto__":{"admin":true},"extra":1},"timestamp":1,"expiresAt":2,"__proto__":{"x":1}}',
    );
    const checked = checkStoredEntry(raw, 'u1', 30_000, now);
    expect(checked.ok && Object.keys(checked.value)).toEqual([
      'userId',
      'balance',
      'version',
      'epoch',
      'updatedAt',
      'timestamp',
      'expiresAt',
    ]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
