import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

// The page timings of `make measure-pages` (not part of make test): one browser at the usual
// office monitor's size against the seeded center at ONEDOOR_URL, one page at a time.
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: /.*\.perf\.ts$/,
  outputDir: '../test-results/perf-artifacts',
  globalSetup: undefined,
  workers: 1,
  timeout: 600_000,
  projects: [{ name: '1366x768', use: { viewport: { width: 1366, height: 768 } } }],
});
