import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * dagre (the step diagram's layout) calls Object.hasOwn, which Chromium 87 lacks (it came in 93),
 * and a build target lowers syntax, not library calls: spell it as every browser knows it.
 */
function hasOwnForChromium87(): Plugin {
  return {
    name: 'has-own-for-chromium-87',
    transform(code, id) {
      if (!id.includes('/node_modules/@dagrejs/') || !code.includes('Object.hasOwn(')) return null;
      return { code: code.split('Object.hasOwn(').join('Object.prototype.hasOwnProperty.call('), map: null };
    },
  };
}

// The API server of `make run`, which `npm run dev` forwards API calls to.
const api = process.env.ONEDOOR_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react(), hasOwnForChromium87()],
  build: {
    // Offices run Chromium 87 inside 360, QAX, UOS and Kylin browsers: no newer syntax.
    target: ['chrome87'],
    // antd is one large chunk of its own; the budget is checked on the first page's gzip size.
    chunkSizeWarningLimit: 1600,
    // What every page needs (React and its router, the query and i18n libraries, dayjs, and antd's
    // theme and utilities) in two chunks, not in a dozen small ones cut by which pages share them:
    // each lazy page added cut them finer, and the queue's first load grew past its 350 KB budget
    // by gzip's per-file overhead alone.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'framework', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|i18next|react-i18next|openapi-fetch|dayjs)[\\/]/, priority: 2 },
            { name: 'antd-core', test: /node_modules[\\/](@ant-design[\\/](cssinjs|cssinjs-utils|colors|fast-color)|@rc-component[\\/](util|motion|resize-observer|portal|trigger)|antd[\\/]es[\\/](_util|config-provider|theme|locale|style)|@emotion|stylis)[\\/]/, priority: 1 },
          ],
        },
      },
    },
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
