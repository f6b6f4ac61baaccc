import { defineConfig } from 'vite';

// The client lives in client/; `npm run dev:client` serves it with hot reload and proxies the API
// and socket.io to a Smartplace started with `npm start` on port 8080.
export default defineConfig({
  root: 'client',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 2500 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/health': 'http://127.0.0.1:8080',
      '/socket.io': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
