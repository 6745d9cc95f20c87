// Builds the browser app (web/) into dist/web/: plain files that the local server serves under a
// strict Content-Security-Policy, so nothing inline (no modulepreload polyfill, worker as a file).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    // The app bundles src/core (every dissector and the filter engine): one chunk is the point.
    chunkSizeWarningLimit: 2000,
  },
  // The same isolation as synack's server (see src/server/server.ts): shared memory for the workers.
  server: {
    fs: { allow: ['..'] },
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
});
