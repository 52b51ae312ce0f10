/**
 * The demo's ledger: real balances with a version per user, persisted to a JSON file with
 * atomic writes (temp file + rename), so a server restart keeps every balance. The ledger has
 * an `epoch`: it changes when the version counters restart (SPEC "Versions and epochs"), so a
 * client can tell "version 1 again" from "an old answer".
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Account {
  balance: number;
  version: number;
  updatedAt: string;
}

/** What the server answers and pushes: an account with the ledger's epoch. */
export interface AccountSnapshot {
  balance: number;
  version: number;
  epoch: string;
  updatedAt: string;
}

interface LedgerFile {
  epoch: string;
  accounts: Record<string, Account>;
}

export class InsufficientFundsError extends Error {
  override name = 'InsufficientFundsError';
}

const newEpoch = (): string => randomBytes(6).toString('hex');

const initialAccounts = (): Record<string, Account> => ({
  alice: { balance: 1_000, version: 1, updatedAt: new Date(0).toISOString() },
  bob: { balance: 250, version: 1, updatedAt: new Date(0).toISOString() },
});

const isRecord = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw);

/** The ledger on disk; `current: false` when it must be written (new, unreadable, or pre-epoch). */
function readLedgerFile(file: string): { ledger: LedgerFile; current: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ledger: { epoch: newEpoch(), accounts: initialAccounts() }, current: false };
  }
  if (isRecord(parsed) && typeof parsed.epoch === 'string' && isRecord(parsed.accounts)) {
    return { ledger: parsed as unknown as LedgerFile, current: true };
  }
  // A file from before epochs is the accounts record itself: keep them, give them an epoch.
  const accounts = isRecord(parsed) ? (parsed as Record<string, Account>) : initialAccounts();
  return { ledger: { epoch: newEpoch(), accounts }, current: false };
}

export class Ledger {
  private state: LedgerFile;

  constructor(private readonly file: string) {
    const { ledger, current } = readLedgerFile(file);
    this.state = ledger;
    // Persist a new epoch at once: a restart must not change it while the versions go on.
    if (!current) this.save();
  }

  get epoch(): string {
    return this.state.epoch;
  }

  users(): string[] {
    return Object.keys(this.state.accounts);
  }

  get(userId: string): AccountSnapshot | undefined {
    const account = this.state.accounts[userId];
    return account === undefined ? undefined : this.snapshot(account);
  }

  debit(userId: string, amount: number): AccountSnapshot {
    const account = this.state.accounts[userId];
    if (account === undefined) throw new Error(`unknown user ${userId}`);
    if (account.balance < amount) throw new InsufficientFundsError('not enough tokens');
    const next = {
      balance: account.balance - amount,
      version: account.version + 1,
      updatedAt: new Date().toISOString(),
    };
    this.state.accounts[userId] = next;
    this.save();
    return this.snapshot(next);
  }

  /**
   * Every version back to 1, balances unchanged: a server that lost its counter. With
   * `newEpoch` it says so (a new epoch); without, clients see versions go backwards.
   */
  restartCounter(withNewEpoch: boolean): string {
    const accounts: Record<string, Account> = {};
    for (const [userId, account] of Object.entries(this.state.accounts)) {
      accounts[userId] = { ...account, version: 1 };
    }
    this.state = { epoch: withNewEpoch ? newEpoch() : this.state.epoch, accounts };
    this.save();
    return this.state.epoch;
  }

  private snapshot(account: Account): AccountSnapshot {
    const { balance, version, updatedAt } = account;
    return { balance, version, epoch: this.state.epoch, updatedAt };
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.state, null, 2));
    renameSync(temp, this.file);
  }
}
