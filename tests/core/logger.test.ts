import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBalanceSync } from '../../src/core/create-balance-sync.js';
import { defaultLogger } from '../../src/core/logger.js';

const original = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = original;
  vi.restoreAllMocks();
});

function calls(env: string | undefined) {
  if (env === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = env;
  const spies = {
    debug: vi.spyOn(console, 'debug').mockImplementation(() => {}),
    info: vi.spyOn(console, 'info').mockImplementation(() => {}),
    warn: vi.spyOn(console, 'warn').mockImplementation(() => {}),
    error: vi.spyOn(console, 'error').mockImplementation(() => {}),
  };
  const logger = defaultLogger();
  for (const level of ['debug', 'info', 'warn', 'error'] as const) logger[level]('x');
  return Object.entries(spies)
    .filter(([, spy]) => spy.mock.calls.length > 0)
    .map(([level]) => level);
}

describe('default logger', () => {
  it('development: readable lines of every level', () => {
    expect(calls('development')).toEqual(['debug', 'info', 'warn', 'error']);
  });

  it('NODE_ENV unset (a plain Node script): no development lines, warnings and errors only', () => {
    expect(calls(undefined)).toEqual(['warn', 'error']);
  });

  it('production: errors only', () => {
    expect(calls('production')).toEqual(['error']);
  });
});

describe('a console given as the logger', () => {
  it('gets no trailing `undefined` argument on a line without details', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'info').mockImplementation(() => {});
    vi.spyOn(console, 'debug').mockImplementation(() => {});
    const sync = createBalanceSync({
      fetchBalance: async () => ({ balance: 1 }),
      userId: 'u1',
      cache: [],
      logger: console,
      sources: [],
    });
    sync.start();
    sync.send({ type: 'NOT.AN.EVENT' } as never); // rejected: a warning with no details
    sync.stop();
    expect(warn.mock.calls.length).toBeGreaterThan(0);
    for (const call of warn.mock.calls) expect(call).not.toContain(undefined);
  });
});
