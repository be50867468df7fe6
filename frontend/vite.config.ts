import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The console is served under /console/ by the reference server (dev mode) and by its own image (port 3000).
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    // `npm run dev` against a server on :3001 (java -jar reference-server/target/reference-server.jar)
    proxy: { '/api': { target: 'http://localhost:3001', ws: true } },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
  },
});
