import { defineConfig } from 'vite';

/**
 * The browser always talks to `/api` on its own origin: in production the API serves `dist/`, and in
 * development (and `vite preview`) this proxy forwards `/api` to the API, so the app has no base URL
 * to configure.
 */
const apiTarget = process.env.TIMELINE_API_URL ?? 'http://127.0.0.1:3000';
const proxy = { '/api': { target: apiTarget, changeOrigin: false } };

export default defineConfig({
  server: { host: '127.0.0.1', port: 5173, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      // zod's sources carry `@__PURE__` comments Rollup cannot place; the warning is about them, not us.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
});
