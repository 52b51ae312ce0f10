/**
 * Records what the UI showed: every commit of every subscriber (the number in the DOM and
 * when), render counts, which tab was in front and who was signed in, on the simulated clock.
 */
import { type ComponentType, useLayoutEffect } from 'react';

export interface Commit {
  at: number;
  balance: number | null;
}

export interface Recording {
  /** `${tab}:${subscriber}` → commits in order. */
  commits: Map<string, Commit[]>;
  renders: number;
  /** Which tab the user looks at (null: none, the user is away). */
  front: { at: number; tab: number | null }[];
  users: { at: number; userId: string }[];
}

export function createRecorder(now: () => number) {
  const recording: Recording = { commits: new Map(), renders: 0, front: [], users: [] };

  const shownFor = (tab: number): ComponentType<{ subscriber: number; balance: number | null }> =>
    // biome-ignore lint/correctness/noComponentHookFactories: made once per tab when it opens, never during a render
    function Shown({ subscriber, balance }) {
      recording.renders++;
      useLayoutEffect(() => {
        const key = `${tab}:${subscriber}`;
        const list = recording.commits.get(key) ?? [];
        list.push({ at: now(), balance });
        recording.commits.set(key, list);
      });
      return <span data-subscriber={subscriber}>{balance ?? '…'}</span>;
    };

  return {
    recording,
    shownFor,
    front: (tab: number | null) => recording.front.push({ at: now(), tab }),
    user: (userId: string) => recording.users.push({ at: now(), userId }),
  };
}
