import { describe, expect, it, vi } from 'vitest';
import { queryClientTarget, swrTarget } from '../../src/interop/targets.js';
import { createHarness, startSettled, useFakeClock } from '../helpers/harness.js';

describe('interop targets', () => {
  it('swrTarget revalidates its key; queryClientTarget invalidates its query key', async () => {
    useFakeClock();
    const mutate = vi.fn();
    const queryClient = { invalidateQueries: vi.fn(async () => undefined) };
    const h = createHarness();
    h.sync.addInvalidationTarget('swr', swrTarget(mutate, '/api/auth/token-balance'));
    h.sync.addInvalidationTarget('query', queryClientTarget(queryClient, ['profile']));
    await startSettled(h);
    const report = await h.sync.invalidate();
    expect(mutate).toHaveBeenCalledWith('/api/auth/token-balance');
    expect(queryClient.invalidateQueries).toHaveBeenCalledWith({ queryKey: ['profile'] });
    expect(report.targets.map((t) => [t.name, t.ok])).toEqual([
      ['swr', true],
      ['query', true],
    ]);
    vi.useRealTimers();
  });
});
