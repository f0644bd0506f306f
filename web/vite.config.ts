import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The API server of `make run`, which `npm run dev` forwards API calls to.
const api = process.env.ONEDOOR_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    // Offices run Chromium 87 inside 360, QAX, UOS and Kylin browsers: no newer syntax.
    target: ['chrome87'],
    // antd is one large chunk of its own; the budget is checked on the first page's gzip size.
    chunkSizeWarningLimit: 1600,
  },
  server: {
    proxy: { '/v1': api, '/openapi.json': api, '/healthz': api },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    // antd's first render in jsdom takes seconds on a busy two-core machine.
    testTimeout: 20_000,
  },
});
