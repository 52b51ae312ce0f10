import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['tests/**/*.test.ts'],
          setupFiles: ['tests/setup/jsdom.ts'],
        },
      },
    ],
  },
});
