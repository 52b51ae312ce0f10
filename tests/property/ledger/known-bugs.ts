/**
 * Library bugs this property test found, each reproduced in tests/core/ledger-findings.test.ts
 * (as `it.fails`). Until they are fixed the test steps around them, in the narrowest way it can,
 * and counts every time it did so; LEDGER_STRICT=1 turns the workarounds off (it then fails
 * within a few hundred runs on each of them).
 */
export const strict = process.env.LEDGER_STRICT === '1';

export const knownBugs = {
  /**
   * "after a maxStaleMs drop, the unchanged server value (same version) is shown again" (and
   * "... a late unversioned push does not hide the server value"): the floor survives the drop,
   * and a value of the floor's version is discarded as "already superseded" whenever the value
   * on screen does not carry that version (none after the drop, or an old unversioned push
   * taken since), so the balance stays unknown or old, and the sync asks again every dedupeMs,
   * until the server's version moves. Workaround (quiescence only): the server makes a zero
   * change, so its version moves, and with a live socket the user refreshes.
   */
  sameVersionAfterDrop: 0,
  /**
   * "after retries are used up, polling resumes when the socket goes down" and "... a
   * (re)connect still makes its catch-up request": in `error` with the retries used up, the poll
   * timer that fired while a socket vouched is not re-armed when it goes down, and a connect's
   * catch-up is owed but never made, so nothing fetches again (focus neither, while the socket
   * is live). Workaround (quiescence only): the user refreshes once the error outlived a polling
   * interval (5 s with a live socket) with nothing in flight.
   */
  errorNeverPolls: 0,
  /**
   * "a restart without an epoch that reaches the shown version again: the server balance wins"
   * (and its storage twin): a response of the version shown with another balance is taken as a
   * confirmation, so the wrong balance sticks until the server's version moves. Workaround
   * (quiescence only): the server makes a zero change, so its version moves (and with a live
   * socket the user refreshes).
   */
  sameVersionOtherBalance: 0,
  /**
   * "a commit answering { balance } without a version settles its own delta": that balance lands
   * like a push, matches no prefix of the pending deltas, and its own delta stays applied on top
   * of it until the owed revalidation lands. Workaround: check 1 tolerates that window (counted
   * per observation).
   */
  unversionedCommitBalance: 0,
  /**
   * "a commit answered with a version of the previous epoch still settles": once the counter
   * restarted (new epoch, or none and the versions fell below the commit's), no value can reach
   * the commit's version and no revalidation is owed, so the delta stays applied for good.
   * Workaround (quiescence only): the user switches away and back (pending debits are dropped).
   */
  staleEpochCommit: 0,
  /**
   * "a delayed value of the previous epoch does not roll the screen back": epochs have no order,
   * so a late push, lagging answer or commit answer of the epoch before a restart replaces the
   * new epoch's value, and the new epoch's next late value then shows a lower version. Workaround
   * (every step): such values are not sent (pushes dropped, lagging answers stop at the restart,
   * a commit answers its version only).
   */
  oldEpochValue: 0,
};
