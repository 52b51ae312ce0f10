/**
 * Total invalidation (invariant 5): every layer, legacy keys and every registered target.
 * One failing or hanging target is reported and does not stop the others.
 */
import type { InvalidationOutcome, InvalidationReport, InvalidationTarget } from '../types.js';
import { withDeadline } from './deadline.js';
import { describeError, type LayerAccess } from './layer-access.js';

export interface InvalidationRequest {
  userId: string | null;
  reason: string | null;
  /** `local`: another tab already cleared the shared layers; clear only what this tab holds. */
  scope: 'all' | 'local';
}

export interface InvalidationDeps {
  access: LayerAccess;
  targets: ReadonlyMap<string, InvalidationTarget>;
  targetTimeoutMs: number;
  /** Aborted by `stop()`: pending target timers end with it (invariant 7). */
  lifetime: () => AbortSignal;
}

async function outcome(name: string, run: () => unknown): Promise<InvalidationOutcome> {
  try {
    await run();
    return { name, ok: true, error: null };
  } catch (error) {
    return { name, ok: false, error: describeError(error) };
  }
}

/** Runs every registered target; used by invalidation and when the socket reports a change. */
export function invalidateTargets(deps: InvalidationDeps): Promise<InvalidationOutcome[]> {
  const signal = deps.lifetime();
  return Promise.all(
    [...deps.targets].map(([name, run]) =>
      outcome(name, () =>
        withDeadline(run, {
          ms: deps.targetTimeoutMs,
          signal,
          timeoutMessage: `${name} did not settle within ${deps.targetTimeoutMs} ms`,
          abortMessage: `${name} was abandoned: balance sync stopped`,
        }),
      ),
    ),
  );
}

export async function runInvalidation(
  deps: InvalidationDeps,
  request: InvalidationRequest,
): Promise<InvalidationReport> {
  const { access } = deps;
  const { userId, reason, scope } = request;
  const startedAt = access.now();
  access.metrics.invalidations++;
  access.logger.info('invalidating all balance caches', { reason, scope });
  const layers = scope === 'all' ? access.layers : access.layers.filter((l) => l.name === 'memory');
  const layerOutcomes = Promise.all(
    layers.map((layer) =>
      outcome(layer.name, async () => {
        if (userId !== null) await layer.remove(userId, access.scope);
        if (scope === 'all') await layer.clearLegacy(access.legacyKeys);
      }),
    ),
  );
  const targetOutcomes = scope === 'all' ? invalidateTargets(deps) : Promise.resolve([]);
  const report: InvalidationReport = {
    userId,
    reason,
    layers: await layerOutcomes,
    targets: await targetOutcomes,
    ok: false,
    startedAt,
    finishedAt: access.now(),
  };
  report.ok = [...report.layers, ...report.targets].every((entry) => entry.ok);
  if (report.ok) {
    access.logger.info('all balance caches invalidated');
  } else {
    const failed = [...report.layers, ...report.targets].filter((entry) => !entry.ok);
    access.logger.error('balance cache invalidation incomplete', { failed });
  }
  return report;
}
