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
  const field = (
    label: string,
    placeholder: string,
    value: string,
    set: (next: string) => void,
  ) => (
    <input
      aria-label={label}
      style={styles.input}
      value={value}
      placeholder={placeholder}
      onChange={(event) => set(event.target.value)}
    />
  );
  return (
    <div style={styles.controls}>
      {button('focus', send('FOCUS'))}
      {button('offline', send('OFFLINE'))}
      {button('online', send('ONLINE'))}
      {button('refresh', () => void sync.refresh({ skipCache: true }))}
      {button('invalidate', () => void sync.invalidate({ reason: 'devtools' }))}
      {field('balance to push', 'balance', pushed, setPushed)}
      {button('push', push)}
      {field('user id', 'user id', user, setUser)}
      {button('switch user', () => sync.setUser(user === '' ? null : user))}
    </div>
  );
}
