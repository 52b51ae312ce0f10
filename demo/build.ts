import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const appDir = fileURLToPath(new URL('./app/', import.meta.url));

/** Builds the demo app into `outDir` (used by `npm start` and the end-to-end tests). */
export async function buildDemoApp(outDir: string): Promise<void> {
  await build({
    root: appDir,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      // One small demo page: React and the devtools panel in one chunk is fine.
      chunkSizeWarningLimit: 1_000,
      rollupOptions: {
        // 'use client' marks the library's React entry for server-component bundlers; an app
        // bundle has nothing to keep it for.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
    },
  });
}
