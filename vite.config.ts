import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// The client lives in client/; `npm run dev:client` serves it with hot reload and proxies the API
// and socket.io to a Smartplace started with `npm start` on port 8080. Three pages: the live map
// (index.html), the ward comparison (compare.html, served at /compare) and the briefings
// (briefing.html, served at /briefing and every /briefing/… that is not a PDF).
const page = (name: string) => fileURLToPath(new URL(`client/${name}`, import.meta.url));

/** The dev server's copy of the server's rule: /briefing and /briefing/… (not a PDF) are briefing.html. */
function briefingPages(): Plugin {
  return {
    name: 'smartplace-briefing-pages',
    configureServer(server) {
      server.middlewares.use((request, _response, next) => {
        const [path = '', query] = (request.url ?? '').split('?', 2);
        if ((path === '/briefing' || path.startsWith('/briefing/')) && !path.endsWith('.pdf')) request.url = `/briefing.html${query === undefined ? '' : `?${query}`}`;
        next();
      });
    },
  };
}

export default defineConfig({
  root: 'client',
  plugins: [briefingPages()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    // rolldownOptions: Vite 8's name for what was rollupOptions.
    rolldownOptions: { input: { main: page('index.html'), compare: page('compare.html'), briefing: page('briefing.html') } },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      // The briefing's PDF is made by the server.
      '^/briefing/.+\\.pdf': 'http://127.0.0.1:8080',
      '/health': 'http://127.0.0.1:8080',
      '/socket.io': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
