'use client';
import { type ReactNode, useState } from 'react';
import type { BalanceSync } from '../types.js';
import { styles } from './styles.js';

/** Buttons that send events, for trying scenarios by hand. */
export function Controls({ sync }: { sync: BalanceSync }): ReactNode {
  const [pushed, setPushed] = useState('');
  const [user, setUser] = useState('');
  const send = (type: 'FOCUS' | 'ONLINE' | 'OFFLINE') => () => sync.send({ type });
  const push = () => {
    const state = sync.getSnapshot();
    const balance = Number(pushed);
    if (state.userId === null || pushed === '' || !Number.isFinite(balance)) return;
    sync.send({
      type: 'SOCKET.BALANCE_UPDATED',
      userId: state.userId,
      balance,
      version: (state.version ?? 0) + 1,
    });
  };
  const button = (label: string, onClick: () => void): ReactNode => (
    <button type="button" style={styles.button} onClick={onClick}>
      {label}
    </button>
  );
  return (
    <div style={styles.controls}>
      {button('focus', send('FOCUS'))}
      {button('offline', send('OFFLINE'))}
      {button('online', send('ONLINE'))}
      {button('refresh', () => void sync.refresh({ skipCache: true }))}
      {button('invalidate', () => void sync.invalidate({ reason: 'devtools' }))}
      <input
        aria-label="balance to push"
        style={styles.input}
        value={pushed}
        placeholder="balance"
        onChange={(event) => setPushed(event.target.value)}
      />
      {button('push', push)}
      <input
        aria-label="user id"
        style={styles.input}
        value={user}
        placeholder="user id"
        onChange={(event) => setUser(event.target.value)}
      />
      {button('switch user', () => sync.setUser(user === '' ? null : user))}
    </div>
  );
}
