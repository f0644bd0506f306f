import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import { expect, type APIRequestContext, type Locator, type Page, type Request, type TestInfo } from '@playwright/test';

/**
 * settle waits until the page has made no request for half a second. Playwright's networkidle
 * never comes on a signed-in page: the bell's event stream (GET /v1/events) is a request that
 * does not end, so it is left out here.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  const busy = new Set<Request>();
  let last = Date.now();
  const counted = (r: Request) => !/\/v1\/events(\?|$)/.test(r.url());
  const start = (r: Request) => {
    if (!counted(r)) return;
    busy.add(r);
    last = Date.now();
  };
  const end = (r: Request) => {
    if (!counted(r)) return;
    busy.delete(r);
    last = Date.now();
  };
  page.on('request', start);
  page.on('requestfinished', end);
  page.on('requestfailed', end);
  try {
    // A request already under way when this started is not known, but its end moves `last`.
    const until = Date.now() + 30_000;
    while (Date.now() < until && (busy.size > 0 || Date.now() - last < 500)) await page.waitForTimeout(100);
  } finally {
    page.off('request', start);
    page.off('requestfinished', end);
    page.off('requestfailed', end);
  }
}

/**
 * The page states this worker has checked with axe: a page (its route, with case numbers and
 * ids left out) and the dialogs and alerts open on it.
 */
const checked = new Set<string>();

/** stateOf names what the page shows, for checking each state once. */
async function stateOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const route = location.pathname.replace(/\/[A-Z]+-[A-Z]+-\d{4}-\d+|\/[0-9a-f-]{36}|\/\d+/g, '/:id');
    const open = Array.from(document.querySelectorAll('[role="dialog"], [role="alert"], .ant-drawer-open, .ant-popover:not(.ant-popover-hidden)'))
      .filter((e) => (e as HTMLElement).offsetParent !== null || getComputedStyle(e).position === 'fixed')
      .map((e) => `${e.getAttribute('role') ?? e.className.split(' ')[0]}:${e.getAttribute('aria-label') ?? e.querySelector('.ant-modal-title, .ant-alert-title')?.textContent ?? ''}`)
      .sort();
    return `${route} ${location.search.replace(/=[^&]*/g, '')} ${open.join('|')}`;
  });
}

/** axeSource is axe-core's script, put into a page once (see axeCheck). */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axeCheck runs axe-core on the page's document and returns its violations. The script is put in
 * once per document: the workbench is one page, so it stays for the whole journey. axe's
 * Playwright wrapper put it in again at each check, in every frame, and finished each run in a
 * blank page of its own: 2.0 s on an idle machine against 0.27 s for the same rules run here, on
 * the queue (the workbench has no frames to reach into).
 */
async function axeCheck(page: Page): Promise<AxeResults['violations']> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
}

/**
 * look takes a full-page screenshot of the page (test-results/screenshots/<size>/<name>.png,
 * to be looked at) and, in the projects that ask for it (metadata.axe), checks it with axe: no
 * serious or critical accessibility violation. axe reads the page, not its size: it runs at the
 * office size only, and once for each page state a worker meets (the same page with the same
 * dialogs open, whatever the case).
 */
export async function look(page: Page, info: TestInfo, name: string): Promise<void> {
  await settle(page);
  // A notice (antd's message) fading in or out is half transparent: axe judged the contrast of
  // one caught in its leave animation. Its 0.3 s of motion is waited out; a notice at rest is
  // opaque and stays in the check.
  await page.waitForFunction(
    () => !document.querySelector('.ant-message-fade-enter, .ant-message-fade-appear, .ant-message-fade-leave'),
    undefined,
    { timeout: 5_000 },
  );
  const shot = await page.screenshot({ path: `test-results/screenshots/${info.project.name}/${name}.png`, fullPage: true });
  await info.attach(name, { body: shot, contentType: 'image/png' });
  if (!info.project.metadata.axe) return;
  const state = await stateOf(page);
  if (checked.has(state)) return;
  checked.add(state);
  const bad = (await axeCheck(page))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  expect(bad, `accessibility of ${name}`).toEqual([]);
}

/**
 * complete takes the outcome named outcome through the case page's 办理 dialog, after fill has
 * filled what else the outcome needs, and waits for the server's answer to close the dialog.
 */
export async function complete(page: Page, outcome: string, fill?: (dialog: Locator) => Promise<void>) {
  await page.getByTestId('action-complete').click();
  const dialog = page.getByRole('dialog', { name: '办理' });
  await expect(dialog).toBeVisible();
  // The dialog fades in: click the outcome until the form has it.
  const choice = dialog.locator('.ant-radio-button-wrapper', { hasText: new RegExp(`^${outcome.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
  await expect(async () => {
    await choice.click();
    await expect(choice).toHaveClass(/ant-radio-button-wrapper-checked/, { timeout: 1000 });
  }).toPass();
  if (fill) await fill(dialog);
  await dialog.getByRole('button', { name: /确\s*定/ }).click();
  await expect(dialog).toBeHidden();
}

/**
 * signIn signs user in through the sign-in page's demo buttons and returns the session's token.
 * The workbench opens on the queue, or where the last session of the tab left after a sign-out.
 */
export async function signIn(page: Page, user: string): Promise<string> {
  await page.goto('/signin');
  await page.getByTestId(`signin-${user}`).click();
  await expect(page).toHaveURL(/\/(queue|tasks)$/);
  const session = await page.evaluate(() => sessionStorage.getItem('onedoor.session') ?? '');
  return (JSON.parse(session) as { token: string }).token;
}

/** tokenOf is a token for user from the development center's /v1/dev/token, for API calls. */
export async function tokenOf(request: APIRequestContext, user: string): Promise<string> {
  const r = await request.post('/v1/dev/token', { data: { user } });
  expect(r.ok(), await r.text()).toBeTruthy();
  return ((await r.json()) as { token: string }).token;
}

/** samplePDF is the smallest well-formed PDF a scanner could have written: the server reads its type from these bytes. */
export const samplePDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
);

/** sampleJPEG starts as a camera's JPEG does (SOI, JFIF): the server reads its type from these bytes. */
export const sampleJPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0', 'latin1'),
  Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]),
]);
