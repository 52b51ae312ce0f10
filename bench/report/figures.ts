/**
 * The figures of one run, computed from what the UI committed against the server's ledger.
 * Pure: the same recording always gives the same figures (tests/bench/figures.test.ts).
 *
 * - stale-seconds: time the tab in front showed a number other than the server's current
 *   balance for the signed-in user (any subscriber); time away from every tab is not counted.
 * - worst staleness: the longest such stretch without a break.
 * - blank-seconds: time the tab in front showed no number at all (loading), reported so that
 *   showing nothing cannot pass for freshness.
 * - regressions: commits whose version is lower than the one the subscriber showed before
 *   (same user).
 * - leaks: commits of a number that belongs to a user other than the signed-in one.
 */
import type { Commit, Recording } from '../sim/recorder.js';

export interface Ledger {
  valueAt(userId: string, time: number): { balance: number };
  ownerOf(balance: number): { userId: string; version: number } | undefined;
  changeTimes(userId: string): { at: number }[];
}

export interface Figures {
  requests: number;
  /** Responses that landed after a newer push (the out-of-order case actually happened). */
  lateResponses: number;
  staleSeconds: number;
  worstStaleSeconds: number;
  blankSeconds: number;
  regressions: number;
  leaks: number;
  rendersPerSubscriber: number;
}

/** The last entry at or before `time` in a list sorted by `at`. */
export function at<T extends { at: number }>(list: readonly T[], time: number): T | undefined {
  let lo = 0;
  let hi = list.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const item = list[mid] as T;
    if (item.at <= time) {
      found = item;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function subscribersOf(recording: Recording, tab: number): Commit[][] {
  return [...recording.commits.entries()]
    .filter(([key]) => key.startsWith(`${tab}:`))
    .map(([, commits]) => commits);
}

export function computeFigures(
  recording: Recording,
  ledger: Ledger,
  span: {
    start: number;
    end: number;
    requests: number;
    lateResponses: number;
    subscribers: number;
  },
): Figures {
  const users = new Set(recording.users.map((u) => u.userId));
  const breaks = new Set<number>([span.start, span.end]);
  for (const commits of recording.commits.values()) for (const c of commits) breaks.add(c.at);
  for (const f of recording.front) breaks.add(f.at);
  for (const u of recording.users) breaks.add(u.at);
  for (const userId of users)
    for (const change of ledger.changeTimes(userId)) breaks.add(change.at);
  const times = [...breaks].filter((t) => t >= span.start && t <= span.end).sort((a, b) => a - b);

  const byTab = new Map<number, Commit[][]>();
  const subscribers = (tab: number): Commit[][] => {
    if (!byTab.has(tab)) byTab.set(tab, subscribersOf(recording, tab));
    return byTab.get(tab) as Commit[][];
  };
  let stale = 0;
  let blank = 0;
  let worst = 0;
  let run = 0;
  for (let i = 0; i < times.length - 1; i++) {
    const from = times[i] as number;
    const length = (times[i + 1] as number) - from;
    const tab = at(recording.front, from)?.tab ?? null;
    const userId = at(recording.users, from)?.userId;
    if (tab === null || userId === undefined) {
      run = 0;
      continue;
    }
    const truth = ledger.valueAt(userId, from).balance;
    const shown = subscribers(tab).map((commits) => at(commits, from)?.balance ?? null);
    if (shown.some((balance) => balance !== null && balance !== truth)) {
      stale += length;
      run += length;
      worst = Math.max(worst, run);
    } else {
      run = 0;
      if (shown.length === 0 || shown.some((balance) => balance === null)) blank += length;
    }
  }

  let regressions = 0;
  let leaks = 0;
  for (const commits of recording.commits.values()) {
    let previous: { userId: string; version: number } | undefined;
    for (const commit of commits) {
      if (commit.balance === null) continue;
      const owner = ledger.ownerOf(commit.balance);
      if (owner === undefined) continue;
      if (owner.userId !== at(recording.users, commit.at)?.userId) leaks++;
      if (previous?.userId === owner.userId && owner.version < previous.version) regressions++;
      previous = owner;
    }
  }

  return {
    requests: span.requests,
    lateResponses: span.lateResponses,
    staleSeconds: stale / 1000,
    worstStaleSeconds: worst / 1000,
    blankSeconds: blank / 1000,
    regressions,
    leaks,
    rendersPerSubscriber: recording.renders / span.subscribers,
  };
}
