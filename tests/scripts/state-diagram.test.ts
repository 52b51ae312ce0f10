// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramBlock, stateDiagram } from '../../scripts/state-diagram.js';

describe('the state diagram in docs/statechart.md', () => {
  it('is the one generated from the machine (run `npm run diagram` after changing the chart)', () => {
    const page = readFileSync(new URL('../../docs/statechart.md', import.meta.url), 'utf8');
    expect(page).toContain(diagramBlock());
  });

  it('shows every state and the named guards and delays', () => {
    const diagram = stateDiagram();
    for (const state of [
      'idle',
      'hydrating',
      'cached',
      'stale',
      'fetching',
      'invalidated',
      'error',
    ]) {
      expect(diagram).toContain(`state "${state}" as balance_running_data_${state}`);
    }
    expect(diagram).toContain(
      'balance_running_data_cached --> balance_running_data_stale : after ttl [ttlElapsed]',
    );
    expect(diagram).toContain(
      'balance_running_data_error --> balance_running_data_fetching_valueStale : after backoff [mayRetry]',
    );
  });
});
