import { defineConfig } from 'vite';

// `--mode baseline` builds the same page without balance-sync: the difference between the two
// bundles is what the library and its dependencies cost an app.
export default defineConfig(({ mode }) => {
  const baseline = mode === 'baseline';
  return {
    build: {
      outDir: baseline ? 'dist-baseline' : 'dist',
      emptyOutDir: true,
      rollupOptions: { input: baseline ? 'baseline.html' : 'index.html' },
    },
  };
});
