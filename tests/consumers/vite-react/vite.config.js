// The consumer's Vite config: React (plugin-react: JSX, Fast Refresh in dev).
// In dev (tests/consumers/react.test.mjs starts this server in-process) the
// page's /ws and /api go to the local OCO server named by OCO_SERVER_URL, so
// the page talks to it from its own origin, as it does when that server
// serves the production build.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const oco = process.env.OCO_SERVER_URL;

export default defineConfig({
  plugins: [react()],
  server: oco
    ? {
      proxy: {
        '/api': { target: oco },
        '/ws': { target: oco.replace(/^http/, 'ws'), ws: true },
      },
    }
    : {},
});
