import { expect, test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';

test.use({ baseURL: process.env.ONEDOOR_URL });

/** RUNS loads of each page per user; the first (cold: nothing cached) is reported apart. */
const RUNS = Number(process.env.ONEDOOR_PAGE_RUNS ?? 7);

interface Timing {
  /** Navigation Timing: the HTML parsed and the deferred scripts run. */
  dcl: number;
  /**
   * The page shows what it is for (the queue's first row, the case's summary): the frame after
   * the element entered the page, as the page's own clock saw it. Reading the clock from the
   * test once the locator is visible would add Playwright's polling, about 350 ms here.
   */
  ready: number;
  /** The slowest API answer the page waited for. */
  api: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The elements whose arrival make a page ready, by page. */
const readyWhen = { queue: '.ant-table-row', case: '[data-testid="summary"]' } as const;

/**
 * markReady, run in the page before its scripts, notes in window.__ready the time (after the
 * next frame is drawn) at which each selector of readyWhen first matched.
 */
function markReady(selectors: Record<string, string>) {
  const marks: Record<string, number> = {};
  (window as unknown as { __ready: typeof marks }).__ready = marks;
  const seen = new Set<string>();
  new MutationObserver(() => {
    for (const [name, sel] of Object.entries(selectors)) {
      if (seen.has(name) || !document.querySelector(sel)) continue;
      seen.add(name);
      requestAnimationFrame(() => setTimeout(() => (marks[name] = performance.now())));
    }
  }).observe(document, { subtree: true, childList: true });
}

/** load navigates to path and returns its timings once ready (a locator) is visible. */
async function load(page: Page, path: string, mark: keyof typeof readyWhen, ready: () => Promise<void>): Promise<Timing> {
  const apis: number[] = [];
  const onResponse = async (r: import('@playwright/test').Response) => {
    if (!/\/v1\/(?!events)/.test(r.url())) return;
    await r.finished().catch(() => undefined);
    const t = r.request().timing();
    if (t.responseEnd > 0) apis.push(t.responseEnd - t.requestStart);
  };
  page.on('response', onResponse);
  await page.goto(path);
  await ready();
  await page.waitForFunction((m) => (window as unknown as { __ready: Record<string, number> }).__ready[m] !== undefined, mark);
  const at = await page.evaluate((m) => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { dcl: nav.domContentLoadedEventEnd, ready: (window as unknown as { __ready: Record<string, number> }).__ready[m]! };
  }, mark);
  page.off('response', onResponse);
  return { ...at, api: Math.max(0, ...apis) };
}

const results: Record<string, { cold: Timing; warm: { dcl: number; ready: number; api: number } }> = {};

function report(name: string, runs: Timing[]) {
  const [cold, ...warm] = runs;
  results[name] = {
    cold: cold!,
    warm: { dcl: median(warm.map((r) => r.dcl)), ready: median(warm.map((r) => r.ready)), api: median(warm.map((r) => r.api)) },
  };
  const w = results[name]!.warm;
  console.log(
    `${name}: cold ready ${cold!.ready.toFixed(0)} ms; warm (median of ${warm.length}) ready ${w.ready.toFixed(0)} ms, ` +
      `DOMContentLoaded ${w.dcl.toFixed(0)} ms, slowest API answer ${w.api.toFixed(0)} ms`,
  );
}

for (const user of ['clerk-galutu', 'clerk-sarula', 'justice-staff']) {
  test(`queue and case pages of ${user}`, async ({ page }) => {
    await page.addInitScript(markReady, readyWhen);
    await page.goto('/signin');
    await page.getByTestId(`signin-${user}`).click();
    await expect(page).toHaveURL(/\/queue$/);
    const token = (JSON.parse((await page.evaluate(() => sessionStorage.getItem('onedoor.session'))) ?? '{}') as { token: string }).token;
    const queue = await page.request.get('/v1/tasks?limit=1', { headers: { Authorization: `Bearer ${token}` } });
    const first = ((await queue.json()) as { items: { case_id: string; case_number: string }[] }).items[0];
    expect(first, `${user} has tasks in the seeded center`).toBeTruthy();

    const row = page.locator('.ant-table-row').first();
    const runs: Timing[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await load(page, '/queue', 'queue', () => row.waitFor()));
    report(`queue (${user})`, runs);

    const heading = page.getByRole('heading', { name: `案件 ${first!.case_number}` });
    const summary = page.getByTestId('summary');
    const caseRuns: Timing[] = [];
    for (let i = 0; i < RUNS; i++) {
      caseRuns.push(await load(page, `/cases/${first!.case_id}`, 'case', async () => {
        await heading.waitFor();
        await summary.waitFor();
      }));
    }
    report(`case (${user})`, caseRuns);
  });
}

test.afterAll(() => {
  writeFileSync('test-results/page-timings.json', JSON.stringify(results, null, 2));
});
