/**
 * One story per scenario of the SPEC, each with a play function that asserts it. They run as
 * tests in Chromium under `npm test` (Storybook's addon-vitest) and live in `npm run storybook`.
 * Real timers with short TTLs: browser tests cannot fake time.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { crossTabSource } from '../src/sources/cross-tab.js';
import { createScenario, type Scenario, ScenarioView, stopScenarios } from './support/scenario.js';

type Loaded = { scenario: Scenario; second?: Scenario };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const meta = {
  title: 'balance-sync/Scenarios',
  beforeEach: () => () => stopScenarios(),
  render: (_args, { loaded }) => <ScenarioView scenario={(loaded as Loaded).scenario} />,
} satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

const balanceText = (canvas: { getByTestId(id: string): HTMLElement }) =>
  canvas.getByTestId('widget-balance').textContent;

export const HydrateFromCache: Story = {
  loaders: [
    () => {
      const scenario = createScenario();
      const now = Date.now();
      localStorage.setItem(
        `${scenario.keyPrefix}_alice`,
        JSON.stringify({
          data: { balance: 777, userId: 'alice', version: 1 },
          timestamp: now,
          expiresAt: now + 30_000,
        }),
      );
      return { scenario: createScenario({ keyPrefix: scenario.keyPrefix, legacyKeys: [] }) };
    },
  ],
  play: async ({ canvas, loaded }) => {
    const { scenario } = loaded as Loaded;
    await waitFor(() => expect(canvas.getByTestId('widget-status').textContent).toBe('cached'));
    await expect(balanceText(canvas)).toBe('777');
    await expect(scenario.server.requests).toBe(0);
    await expect(scenario.rendered.find((r) => r.balance !== null)?.balance).toBe(777);
  },
};

export const TtlExpiryRevalidates: Story = {
  // The shortest TTL the options allow: below 1 s a TTL turns into a request loop.
  loaders: [() => ({ scenario: createScenario({ ttlMs: 1_000, refreshIntervalMs: 0 }) })],
  play: async ({ canvas, loaded }) => {
    const { scenario } = loaded as Loaded;
    await waitFor(() => expect(balanceText(canvas)).toBe('1000'));
    scenario.server.change('alice', -50);
    await waitFor(() => expect(canvas.getByTestId('widget-flags').textContent).toContain('stale'), {
      timeout: 3_000,
    });
    await waitFor(() => expect(balanceText(canvas)).toBe('950'), { timeout: 3_000 });
    await expect(scenario.server.requests).toBe(2);
  },
};

export const FocusStormDeduped: Story = {
  loaders: [() => ({ scenario: createScenario({ dedupeMs: 1_000 }) })],
  play: async ({ canvas, loaded }) => {
    const { scenario } = loaded as Loaded;
    await waitFor(() => expect(balanceText(canvas)).toBe('1000'));
    await sleep(1_100);
    for (let i = 0; i < 25; i++) {
      scenario.sync.send({ type: 'FOCUS' });
      await sleep(10);
    }
    await sleep(100);
    await expect(scenario.server.requests).toBe(2);
  },
};

export const WebSocketPush: Story = {
  loaders: [() => ({ scenario: createScenario() })],
  play: async ({ canvas, loaded }) => {
    const { scenario } = loaded as Loaded;
    await waitFor(() => expect(balanceText(canvas)).toBe('1000'));
    scenario.sync.send({ type: 'SOCKET.CONNECTED' });
    const pushed = scenario.server.change('alice', -30);
    scenario.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'alice', ...pushed });
    await waitFor(() => expect(balanceText(canvas)).toBe('970'));
  },
};

export const OutOfOrderResponseDiscarded: Story = {
  loaders: [() => ({ scenario: createScenario() })],
  play: async ({ canvas, loaded }) => {
    const { scenario } = loaded as Loaded;
    await waitFor(() => expect(balanceText(canvas)).toBe('1000'));
    scenario.server.hold(); // this request reads version 1 now and answers late
    void scenario.sync.refresh({ skipCache: true });
    const pushed = scenario.server.change('alice', -100);
    scenario.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'alice', ...pushed });
    await waitFor(() => expect(balanceText(canvas)).toBe('900'));
    scenario.server.release();
    await sleep(150);
    await expect(balanceText(canvas)).toBe('900');
    await expect(scenario.sync.metrics().discarded).toBe(1);
  },
};

export const UserSwitchWithoutLeak: Story = {
  loaders: [() => ({ scenario: createScenario() })],
  play: async ({ canvas, loaded }) => {
    const { scenario } = loaded as Loaded;
    await waitFor(() => expect(balanceText(canvas)).toBe('1000'));
    for (const user of ['bob', 'alice', 'bob']) {
      scenario.server.hold();
      void scenario.sync.refresh({ skipCache: true });
      scenario.sync.setUser(user);
      scenario.server.release(); // the previous user's answer lands after the switch
      await waitFor(() => expect(balanceText(canvas)).toBe(user === 'bob' ? '250' : '1000'));
    }
    const leaked = scenario.rendered.filter(
      (r) =>
        (r.userId === 'bob' && r.balance === 1000) || (r.userId === 'alice' && r.balance === 250),
    );
    await expect(leaked).toEqual([]);
  },
};

export const ErrorKeepsLastGoodValueAndRetries: Story = {
  loaders: [
    () => ({ scenario: createScenario({ retry: { attempts: 3, baseMs: 200, maxMs: 400 } }) }),
  ],
  play: async ({ canvas, loaded }) => {
    const { scenario } = loaded as Loaded;
    await waitFor(() => expect(balanceText(canvas)).toBe('1000'));
    scenario.server.failing = true;
    void scenario.sync.refresh({ skipCache: true });
    await waitFor(() =>
      expect(canvas.getByTestId('widget-flags').textContent).toContain('error: 503'),
    );
    await expect(balanceText(canvas)).toBe('1000');
    scenario.server.failing = false;
    await waitFor(() => expect(canvas.getByTestId('widget-status').textContent).toBe('cached'), {
      timeout: 2_000,
    });
    await expect(canvas.getByTestId('widget-flags').textContent).toBe('');
  },
};

export const OfflineThenOnline: Story = {
  loaders: [() => ({ scenario: createScenario({ ttlMs: 1_000, refreshIntervalMs: 0 }) })],
  play: async ({ canvas, loaded }) => {
    const { scenario } = loaded as Loaded;
    await waitFor(() => expect(balanceText(canvas)).toBe('1000'));
    scenario.sync.send({ type: 'OFFLINE' });
    await sleep(1_200);
    await expect(canvas.getByTestId('widget-status').textContent).toBe('stale');
    await expect(scenario.server.requests).toBe(1);
    scenario.sync.send({ type: 'ONLINE' });
    await waitFor(() => expect(canvas.getByTestId('widget-status').textContent).toBe('cached'));
    await expect(scenario.server.requests).toBe(2);
  },
};

export const TotalInvalidation: Story = {
  loaders: [() => ({ scenario: createScenario({ keepPreviousData: false }) })],
  play: async ({ canvas, loaded }) => {
    const { scenario } = loaded as Loaded;
    await waitFor(() =>
      expect(canvas.getByTestId('layers').textContent).toContain('indexedDB: 1000'),
    );
    scenario.server.hold(); // keep the refetch pending, to see every layer empty
    const report = await scenario.sync.invalidate({ reason: 'story' });
    await expect(report.ok).toBe(true);
    await waitFor(() =>
      expect(canvas.getByTestId('layers').textContent).toBe(
        'memory: emptylocalStorage: emptyindexedDB: empty',
      ),
    );
    await expect(balanceText(canvas)).toBe('…');
    scenario.server.release();
    await waitFor(() => expect(balanceText(canvas)).toBe('1000'));
  },
};

export const TwoTabsOneLeader: Story = {
  loaders: [
    () => {
      const scenario = createScenario({ sources: [crossTabSource()] });
      const second = createScenario({ sources: [crossTabSource()], keyPrefix: scenario.keyPrefix });
      return { scenario, second };
    },
  ],
  render: (_args, { loaded }) => {
    const { scenario, second } = loaded as Loaded;
    return (
      <div style={{ display: 'grid', gap: 16 }}>
        <ScenarioView scenario={scenario} />
        {second && <ScenarioView scenario={second} />}
      </div>
    );
  },
  play: async ({ loaded }) => {
    const { scenario, second } = loaded as Loaded;
    const role = (s: Scenario | undefined) =>
      (['leader', 'follower', 'alone'] as const).find((r) =>
        s?.sync.actor.getSnapshot().matches({ running: { tab: r } }),
      );
    await waitFor(() =>
      expect([role(scenario), role(second)].sort()).toEqual(['follower', 'leader']),
    );
    const pushed = scenario.server.change('alice', -5);
    scenario.sync.send({ type: 'SOCKET.BALANCE_UPDATED', userId: 'alice', ...pushed });
    await waitFor(() => expect(second?.sync.getSnapshot().balance).toBe(995));
  },
};
