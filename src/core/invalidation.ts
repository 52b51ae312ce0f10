/**
 * One invalidation (invariant 5), as the machine's `invalidation` child actor: every layer,
 * legacy keys and every registered target, each within its deadline. It tells the machine when
 * this tab's layers are done (the refetch waits for those only) and reports when all settled;
 * `ABORT` (the sync stopped) settles it at once, what has not answered reported aborted.
 */
import { fromCallback } from 'xstate';
import type { InvalidationInput } from '../../machines/balance.setup.js';
import type { InvalidationOutcome, MachineEvent } from '../../machines/events.js';
import type { InvalidationTarget } from '../types.js';
import { withDeadline } from './deadline.js';
import { type LayerAccess, removeEntry } from './layer-access.js';
import { describeError } from './shared.js';

export interface InvalidationDeps {
  access: LayerAccess;
  /** This tab's own invalidations are told to the other tabs (never echoes of theirs). */
  local: { next(happening: { type: 'invalidated'; userId: string | null }): void };
  targets: ReadonlyMap<string, InvalidationTarget>;
  /** A layer or target that has not settled by then is reported failed. */
  targetTimeoutMs: number;
}

async function outcome(
  name: string,
  run: () => unknown,
  deadline: { ms: number; signal: AbortSignal },
): Promise<InvalidationOutcome> {
  try {
    await withDeadline(run, {
      ...deadline,
      timeoutMessage: `${name} did not settle within ${deadline.ms} ms`,
      abortMessage: `${name} was abandoned: balance sync stopped`,
    });
    return { name, ok: true, error: null };
  } catch (error) {
    return { name, ok: false, error: describeError(error) };
  }
}

/** Runs every registered target; also used alone when a push tells of a server change. */
export function invalidateTargets(
  deps: InvalidationDeps,
  signal: AbortSignal,
): Promise<InvalidationOutcome[]> {
  const deadline = { ms: deps.targetTimeoutMs, signal };
  return Promise.all([...deps.targets].map(([name, run]) => outcome(name, run, deadline)));
}

function clearLayers(deps: InvalidationDeps, input: InvalidationInput, signal: AbortSignal) {
  const { access } = deps;
  const deadline = { ms: deps.targetTimeoutMs, signal };
  // `local` (another tab's invalidation) clears the shared layers again: this tab may have written
  // a value there after that tab cleared them, from a request that started before (invariant 5).
  return Promise.all(
    access.layers.map((layer) =>
      outcome(
        layer.name,
        async () => {
          if (input.userId !== null) await removeEntry(access, layer, input.userId);
          if (input.scope === 'all') await layer.clearLegacy(access.legacyKeys);
        },
        deadline,
      ),
    ),
  );
}

export function invalidationActor(deps: InvalidationDeps) {
  return fromCallback<MachineEvent, InvalidationInput>(({ input, sendBack, receive }) => {
    const { access } = deps;
    const abort = new AbortController();
    receive((event) => {
      if ((event as { type: string }).type === 'ABORT') abort.abort();
    });
    const startedAt = access.now();
    if (input.scope === 'all') deps.local.next({ type: 'invalidated', userId: input.userId });
    if (input.scope !== 'targets') {
      access.metrics.invalidations++;
      access.logger.info('invalidating all balance caches', {
        reason: input.reason,
        scope: input.scope,
      });
    }
    const layers =
      input.scope === 'targets' ? Promise.resolve([]) : clearLayers(deps, input, abort.signal);
    if (input.scope !== 'targets') {
      void layers.then(() => sendBack({ type: 'INVALIDATION.LAYERS_CLEARED', id: input.id }));
    }
    // This tab's targets hold this tab's copies, whichever tab invalidated.
    const targets = invalidateTargets(deps, abort.signal);
    void Promise.all([layers, targets]).then(([layerOutcomes, targetOutcomes]) => {
      const all = [...layerOutcomes, ...targetOutcomes];
      const ok = all.every((entry) => entry.ok);
      if (ok) access.logger.info('all balance caches invalidated');
      else
        access.logger.error('balance cache invalidation incomplete', {
          failed: all.filter((entry) => !entry.ok),
        });
      sendBack({
        type: 'INVALIDATION.SETTLED',
        id: input.id,
        requestId: input.requestId,
        report: {
          userId: input.userId,
          reason: input.reason,
          ok,
          layers: layerOutcomes,
          targets: targetOutcomes,
          startedAt,
          finishedAt: access.now(),
        },
      });
    });
    // Stopped by the machine once it has the report; nothing is left running by then.
    return () => abort.abort();
  });
}
