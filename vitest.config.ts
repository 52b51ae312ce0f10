import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, chromiumPath } from './scripts/chromium.js';

/** A fresh provider per project (a shared one collides on names), on Debian's Chromium. */
const chromium = () =>
  playwright({ launchOptions: { executablePath: chromiumPath(), args: [...chromiumArgs] } });

/** Browser mode for one project: headless Chromium, no failure screenshots. */
const browserMode = () => ({
  enabled: true,
  headless: true,
  provider: chromium(),
  instances: [{ browser: 'chromium' as const }],
  screenshotFailures: false,
});

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
          exclude: [
            'tests/browser/**',
            'tests/react18/**',
            'tests/consumers/**',
            'tests/package/**',
            'tests/e2e/tabs.test.ts',
          ],
          setupFiles: ['tests/setup/jsdom.ts'],
        },
      },
      {
        define: { __SAVE_SCREENSHOTS__: JSON.stringify(process.env.SAVE_SCREENSHOTS === '1') },
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts', 'tests/browser/**/*.test.tsx'],
          // A real reference server for the EventSource tests (tests/browser/sse.test.ts).
          globalSetup: ['tests/helpers/demo-server-global-setup.ts'],
          browser: browserMode(),
        },
      },
      {
        // The React bindings against React 18 (npm aliases), bundled by Vite for Chromium.
        resolve: {
          alias: [
            { find: /^react$/, replacement: 'react-18' },
            { find: /^react\/(.*)$/, replacement: 'react-18/$1' },
            { find: /^react-dom$/, replacement: 'react-dom-18' },
            { find: /^react-dom\/(.*)$/, replacement: 'react-dom-18/$1' },
          ],
        },
        test: {
          name: 'react18',
          include: ['tests/react18/**/*.test.tsx'],
          browser: browserMode(),
        },
      },
      {
        // The package as users get it: `npm pack` checked, then installed into a Vite app, a
        // Next.js app and a Node script that are built and run (Chromium for the two apps). Runs
        // after every other project (groupOrder) and one file at a time: builds take both cores.
        test: {
          name: 'consumers',
          environment: 'node',
          include: ['tests/package/**/*.test.ts', 'tests/consumers/*.test.ts'],
          globalSetup: ['tests/consumers/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
      {
        // Up to ten Chromium tabs against the reference server, timed (push to every tab's
        // paint, 30-90 ms on an idle 2-core box, 163 ms seen beside other test files): this file
        // runs last and alone (after `consumers`).
        test: {
          name: 'tabs',
          environment: 'node',
          include: ['tests/e2e/tabs.test.ts'],
          sequence: { groupOrder: 2 },
        },
      },
      {
        // Every story's play function runs as a test in Chromium (Storybook's addon-vitest).
        plugins: [
          storybookTest({ configDir: fileURLToPath(new URL('./.storybook', import.meta.url)) }),
        ],
        test: {
          name: 'storybook',
          browser: browserMode(),
        },
      },
    ],
  },
});
