import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The client lives in client/; `npm run dev:client` serves it with hot reload and proxies the API
// and socket.io to a Smartplace started with `npm start` on port 8080. Two pages: the live map
// (index.html) and the ward comparison (compare.html, served at /compare).
const page = (name: string) => fileURLToPath(new URL(`client/${name}`, import.meta.url));

export default defineConfig({
  root: 'client',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    // rolldownOptions: Vite 8's name for what was rollupOptions.
    rolldownOptions: { input: { main: page('index.html'), compare: page('compare.html') } },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/health': 'http://127.0.0.1:8080',
      '/socket.io': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
