import { type ReactNode, useState } from 'react';
import { BalanceDevtools } from '../../src/devtools/index.js';
import { useBalance, useBalanceSync } from '../../src/react/index.js';
import { admin, submitAssessment } from './api.js';

const card = {
  background: '#fff',
  borderRadius: 10,
  padding: 20,
  boxShadow: '0 1px 3px rgba(0,0,0,.12)',
} as const;
const button = {
  font: 'inherit',
  padding: '6px 12px',
  marginRight: 8,
  borderRadius: 6,
  border: '1px solid #d1d5db',
  background: '#fff',
  cursor: 'pointer',
} as const;

function SignIn(): ReactNode {
  const sync = useBalanceSync();
  return (
    <div style={card}>
      <h2 style={{ marginTop: 0 }}>Sign in</h2>
      {['alice', 'bob'].map((user) => (
        <button key={user} type="button" style={button} onClick={() => sync.setUser(user)}>
          Sign in as {user}
        </button>
      ))}
    </div>
  );
}

function Wallet({ userId }: { userId: string }): ReactNode {
  const sync = useBalanceSync();
  const { balance, isStale, isFetching, error, refresh } = useBalance();
  const [message, setMessage] = useState('');
  const submit = () => {
    const commit = submitAssessment(userId, 10);
    sync.applyOptimistic(-10, commit);
    commit.then(
      () => setMessage('Assessment submitted (−10 tokens).'),
      (reason: unknown) => setMessage(`Not submitted: ${String(reason)} (rolled back).`),
    );
  };
  return (
    <div style={card}>
      <p style={{ margin: 0, color: '#6b7280' }}>
        Signed in as <span data-testid="signed-in-user">{userId}</span>
      </p>
      <p style={{ fontSize: 40, margin: '8px 0' }} data-testid="wallet-balance">
        {balance === null ? '…' : balance}
        <span style={{ fontSize: 14, color: '#6b7280' }}>
          {' '}
          tokens{isStale ? ' · stale' : ''}
          {isFetching ? ' · updating' : ''}
        </span>
      </p>
      {error !== null && <p style={{ color: '#b91c1c' }}>Last update failed: {error.message}</p>}
      <button type="button" style={button} onClick={submit}>
        Submit assessment (10 tokens)
      </button>
      <button type="button" style={button} onClick={() => void refresh({ skipCache: true })}>
        Refresh
      </button>
      <button type="button" style={button} onClick={() => sync.setUser(null)}>
        Sign out
      </button>
      <p style={{ minHeight: 24, color: '#374151' }}>{message}</p>
    </div>
  );
}

function Faults(): ReactNode {
  const [latency, setLatency] = useState(0);
  const [errorRate, setErrorRate] = useState(0);
  const set = (next: { latencyMs?: number; errorRate?: number }) => void admin('faults', next);
  return (
    <div style={card}>
      <h3 style={{ marginTop: 0 }}>Server faults</h3>
      <label>
        latency {latency} ms{' '}
        <input
          type="range"
          min={0}
          max={3000}
          step={100}
          value={latency}
          onChange={(e) => {
            setLatency(Number(e.target.value));
            set({ latencyMs: Number(e.target.value) });
          }}
        />
      </label>
      <br />
      <label>
        error rate {Math.round(errorRate * 100)} %{' '}
        <input
          type="range"
          min={0}
          max={1}
          step={0.1}
          value={errorRate}
          onChange={(e) => {
            setErrorRate(Number(e.target.value));
            set({ errorRate: Number(e.target.value) });
          }}
        />
      </label>
      <p>
        <button type="button" style={button} onClick={() => void admin('drop-sockets')}>
          Drop sockets
        </button>
        <button
          type="button"
          style={button}
          onClick={() => void admin('faults', { holdNext: true })}
        >
          Hold next response
        </button>
        <button type="button" style={button} onClick={() => void admin('release')}>
          Release held
        </button>
      </p>
    </div>
  );
}

export function App(): ReactNode {
  const { userId } = useBalance();
  return (
    <main
      style={{ display: 'flex', gap: 20, padding: 20, alignItems: 'flex-start', flexWrap: 'wrap' }}
    >
      <div style={{ display: 'grid', gap: 20, width: 440 }}>
        <h1 style={{ margin: 0 }}>balance-sync demo</h1>
        {userId === null ? <SignIn /> : <Wallet userId={userId} />}
        <Faults />
      </div>
      <BalanceDevtools />
    </main>
  );
}
