/**
 * The demo's ledger: real balances with a version per user, persisted to a JSON file with
 * atomic writes (temp file + rename), so a server restart keeps every balance.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Account {
  balance: number;
  version: number;
  updatedAt: string;
}

export class InsufficientFundsError extends Error {
  override name = 'InsufficientFundsError';
}

const initial = (): Record<string, Account> => ({
  alice: { balance: 1_000, version: 1, updatedAt: new Date(0).toISOString() },
  bob: { balance: 250, version: 1, updatedAt: new Date(0).toISOString() },
});

export class Ledger {
  private accounts: Record<string, Account>;

  constructor(private readonly file: string) {
    this.accounts = Ledger.load(file);
  }

  private static load(file: string): Record<string, Account> {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Account>;
    } catch {
      return initial();
    }
  }

  users(): string[] {
    return Object.keys(this.accounts);
  }

  get(userId: string): Account | undefined {
    const account = this.accounts[userId];
    return account === undefined ? undefined : { ...account };
  }

  debit(userId: string, amount: number): Account {
    const account = this.accounts[userId];
    if (account === undefined) throw new Error(`unknown user ${userId}`);
    if (account.balance < amount) throw new InsufficientFundsError('not enough tokens');
    const next = {
      balance: account.balance - amount,
      version: account.version + 1,
      updatedAt: new Date().toISOString(),
    };
    this.accounts[userId] = next;
    this.save();
    return { ...next };
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.accounts, null, 2));
    renameSync(temp, this.file);
  }
}
