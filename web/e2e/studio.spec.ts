import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { look, signIn } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });
// Each size took 1.2-2.3 min on a machine shared by several builds (load 10-12 on 2 cores); the margin is for such a one.
test.setTimeout(180_000);

/** line is the editor's line holding text, scrolled into the part CodeMirror draws. */
async function line(page: Page, text: string) {
  const l = page.locator('.cm-line', { hasText: text }).first();
  for (let i = 0; i < 40 && (await l.count()) === 0; i++) {
    await page.locator('.cm-scroller').evaluate((el) => el.scrollBy(0, 300));
  }
  await expect(l).toBeVisible();
  return l;
}

/** select puts the editor's selection on the last `word` of the line, as a double-click would. */
async function select(page: Page, lineText: string, word: string) {
  const l = await line(page, lineText);
  await l.click();
  // CodeMirror may draw the line anew (a check came back) between the click and the selection.
  await expect(async () => l.evaluate((el, w) => {
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let hit: Text | undefined;
    for (let n = walk.nextNode(); n; n = walk.nextNode()) if ((n as Text).data.includes(w)) hit = n as Text;
    if (!hit) throw new Error(`no ${w} in ${el.textContent}`);
    const at = hit.data.lastIndexOf(w);
    const r = document.createRange();
    r.setStart(hit, at);
    r.setEnd(hit, at + w.length);
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(r);
  }, word)).toPass({ timeout: 5_000 });
  // CodeMirror reads the DOM selection on selectionchange.
  await page.waitForTimeout(100);
}

/** pick chooses an option of an antd Select by its label. */
async function pick(page: Page, scope: string, label: string, option: string) {
  await page.getByTestId(scope).getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

/**
 * tryRun runs the trial once the date picker has closed, and waits for its answer. A click that
 * came while the picker's panel was closing was once lost (no request was sent): the click is
 * made again until the trial's request goes out.
 */
async function tryRun(page: Page) {
  await expect(page.locator('.ant-picker-dropdown:visible')).toHaveCount(0);
  await expect(async () => {
    const sent = page.waitForRequest((r) => r.url().endsWith('/v1/procedures/try'), { timeout: 3000 });
    await page.getByTestId('try-run').click();
    await sent;
  }).toPass({ timeout: 30_000 });
}

test('an administrator edits a procedure in the studio: lint, diagram, rules, a deadline form and publishing after the diff', async ({ page, request }, info) => {
  const token = await signIn(page, 'admin');
  // The built-in mediation procedure under a key of this run's own (published as version 1),
  // so the other journeys' mediation cases never see this one's changes.
  const key = `studio_${info.project.name.replace('x', '_')}_${Date.now() % 1_000_000}`;
  const src = readFileSync('../definitions/library/mediation.yaml', 'utf8').replace('key: mediation', `key: ${key}`).replace('name: 人民调解\n', `name: 人民调解（${key}）\n`);
  const auth = { Authorization: `Bearer ${token}` };
  const created = await request.post('/v1/procedures', { headers: auth, data: { yaml: src } });
  expect(created.ok(), await created.text()).toBeTruthy();
  const pub = await request.post(`/v1/procedures/${key}/versions/1/publish`, { headers: auth });
  expect(pub.ok(), await pub.text()).toBeTruthy();

  // The list: every procedure, the versions of one with their status and running cases.
  await page.getByRole('menuitem', { name: '流程管理' }).click();
  await expect(page).toHaveURL(/\/studio$/);
  const row = page.getByTestId('procedures').locator('tr', { hasText: key });
  await expect(row).toContainText('已发布');
  await expect(page.getByTestId('procedures').locator('tr', { hasText: 'petition' })).toContainText('第1版');
  await row.getByRole('button').first().click();
  await expect(page.getByTestId(`versions-${key}`)).toContainText('2025-01-01');
  await look(page, info, '40-studio-list');

  // Version 1 is frozen: editing starts version 2.
  await row.getByRole('link').click();
  await expect(page.getByTestId('check-state')).toContainText('没有问题');
  await page.getByTestId('new-draft').click();
  await expect(page).toHaveURL(new RegExp(`/studio/${key}/2$`));
  await expect(page.getByTestId('check-state')).toContainText('没有问题');

  // A `next` pointing nowhere: marked on its line, with the server's message.
  await select(page, 'name_en: Register, next: accept}', 'accept');
  await page.keyboard.type('acept');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('check-state')).toContainText(/\d+ 个问题/);
  const bad = page.locator('.cm-line', { hasText: 'next: acept}' }).locator('.cm-lintRange-error');
  await expect(bad).toHaveText('acept');
  await bad.hover();
  await expect(page.locator('.cm-tooltip-lint')).toContainText('"acept"');
  await look(page, info, '41-studio-lint');

  await select(page, 'name_en: Register, next: acept}', 'acept');
  await page.keyboard.type('accept');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('check-state')).toContainText('没有问题');
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);
  await expect(page.getByTestId('diagram-node-handle')).toBeVisible();

  // Try the rules at a village from Friday 13 February 2026: 15 days for the mediation end on
  // Saturday 28 February, a make-up working day.
  await page.getByRole('tab', { name: '规则试算' }).click();
  await page.getByLabel('受理日期').fill('2026-02-13');
  await page.getByLabel('受理日期').press('Enter');
  await tryRun(page);
  await expect(page.getByTestId('due-handle')).toHaveText('2026-02-28');
  await expect(page.getByTestId('try-rules')).toContainText('首访首办');

  // The deadline form: 20 days at the village, written into the YAML; the trial follows.
  await page.getByRole('tab', { name: '常用修改' }).click();
  await pick(page, 'deadline-form', '环节', '调解（handle）');
  await pick(page, 'deadline-form', '层级', '嘎查村/社区');
  await expect(page.getByTestId('deadline-form').getByLabel('期限', { exact: true })).toHaveValue('15');
  await page.getByTestId('deadline-form').getByLabel('期限', { exact: true }).fill('20');
  await page.getByTestId('apply-deadline').click();
  await expect(await line(page, 'handle: {amount: 20, unit: days, suspendable: true')).toBeVisible();
  await expect(page.getByTestId('check-state')).toContainText('没有问题');
  await page.getByRole('tab', { name: '规则试算' }).click();
  await tryRun(page);
  await expect(page.getByTestId('due-handle')).toHaveText('2026-03-05');
  await look(page, info, '42-studio-try');

  // The draft saved itself after the edits. Meanwhile another administrator saves it: this
  // editor's next save is refused and shows their text beside its own; it keeps its own.
  const draft = async () => ((await (await request.get(`/v1/procedures/${key}/versions/2`, { headers: auth })).json()) as { yaml: string }).yaml;
  await expect.poll(draft).toContain('handle: {amount: 20, unit: days, suspendable: true');
  await expect(page.getByTestId('autosave')).toContainText('已自动保存');
  const other = await request.put(`/v1/procedures/${key}/versions/2`, { headers: auth, data: { yaml: `${await draft()}# 他人的修改\n` } });
  expect(other.ok()).toBeTruthy();
  await page.getByTestId('save').click();
  await expect(page.getByTestId('conflict-merge')).toContainText('# 他人的修改');
  await look(page, info, '44-studio-conflict');
  await page.getByTestId('conflict-mine').click();
  await expect(page.getByTestId('conflict-merge')).toHaveCount(0);
  expect(await draft()).not.toContain('他人的修改');

  // Publishing shows the diff first, and how many cases stay on version 1.
  await page.getByTestId('publish').click();
  const diff = page.getByTestId('diff');
  await expect(diff).toContainText('与现行第1版相比');
  await expect(diff).toContainText('levels.village.deadlines.handle.amount');
  await expect(diff).toContainText('将继续按第1版办结');
  await look(page, info, '43-studio-diff');
  // Valid from a day picked here: written into the draft before it is published.
  const day = new Date(Date.now() + 8 * 3600_000 + 7 * 86400_000).toISOString().slice(0, 10); // a week ahead, in Beijing
  await page.getByLabel('生效日期').fill(day);
  await page.getByLabel('生效日期').press('Enter');
  await page.getByRole('button', { name: '确认发布' }).click();
  await expect(page.getByTestId('retire')).toBeVisible();
  await expect(page.getByText('已发布').first()).toBeVisible();

  const versions = await request.get(`/v1/procedures/${key}/versions`, { headers: auth });
  const body = (await versions.json()) as { versions: { version: number; status: string; valid_from?: string }[] };
  expect(body.versions.map((v) => v.status)).toEqual(['published', 'published']);
  expect(body.versions[1]!.valid_from).toBe(day);
});
