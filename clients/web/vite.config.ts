import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built to clients/web/dist, which `rembuk serve --static clients/web/dist` serves at /.
// The library is compiled from source so the editor and @rembuk/client never disagree.
export default defineConfig({
  base: './',
  resolve: {
    alias: { '@rembuk/client': fileURLToPath(new URL('../js/src/index.ts', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev` against a running rembuk on :8080.
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
