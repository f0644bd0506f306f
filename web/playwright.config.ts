import { defineConfig } from '@playwright/test';

// Debian's Chromium (apt-get install chromium): Playwright never downloads a browser here.
// As root it needs --no-sandbox; the other switches keep it off a network it cannot reach.
const chromium = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', '--disable-quic', '--disable-gpu',
  ],
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  // e2e/center.ts starts one `onedoor dev` (own data folder, free ports) for the whole run.
  // Two files (or one file at both sizes) run at once: each journey works on cases of its own,
  // named after its project, and reads what is unread in its own browser, so none depends on
  // another's; most of a journey's time is waiting for the server's timers.
  globalSetup: './e2e/center.ts',
  fullyParallel: false,
  // Two. Three, measured in a clean-clone run of .ci/run, took as long (32 journeys in 11.6 min
  // against 31 in 10.7 on two): each journey ran 1.5 to 2 times slower beside two others, the
  // browsers and the one center sharing two cores.
  workers: 2,
  // A cap, not a speed check: beside the Go tests (make test runs both) a journey can take four
  // times as long as on an idle machine (the first case journey: 24 s alone, 1.9 min at the start).
  timeout: 180_000,
  // Also a cap: after the OIDC redirect the next page's chunks took over 10 s to draw beside the Go tests.
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // The workbench leaves antd's animations out for those who ask for less motion: the journeys
    // do not wait for fades, and Chromium does not draw them (it is most of the tests' CPU).
    reducedMotion: 'reduce',
    launchOptions: chromium,
    // No trace: recording one for every journey, to keep those that failed, took a third of their
    // time (the screencast most). `npx playwright test --trace retain-on-failure` when one is needed.
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  // The usual office monitor, and a larger one.
  projects: [
    { name: '1366x768', use: { viewport: { width: 1366, height: 768 } }, metadata: { axe: true }, testIgnore: ['wide.spec.ts'] },
    // The larger monitor draws the same pages: one journey opens each main page there as its users
    // see it (e2e/wide.spec.ts), to see it laid out wide and check that nothing overflows; the
    // journeys that act run at the office size only, which keeps make test within its budget on
    // two cores (running seven of them at both sizes cost about 2.5 minutes more).
    {
      name: '1920x1080',
      use: { viewport: { width: 1920, height: 1080 } },
      testMatch: ['wide.spec.ts'],
    },
  ],
});
