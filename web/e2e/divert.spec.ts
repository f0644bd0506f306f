import { expect, test, type Browser, type Page } from '@playwright/test';
import { complete, look } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });
// Four sessions, eight actions, each confirmed by the server; three pages checked with axe. A
// cap: on a loaded machine the journey took over three minutes (50 s alone, 1.5 min beside two
// other journeys).
test.setTimeout(300_000);

/** session signs user in, in a browser context of their own, and returns the page and the token. */
async function session(browser: Browser, user: string): Promise<{ page: Page; token: string }> {
  const context = await browser.newContext({ baseURL: process.env.ONEDOOR_URL });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByTestId(`signin-${user}`).click();
  await expect(page).toHaveURL(/\/queue$/);
  const saved = await page.evaluate(() => sessionStorage.getItem('onedoor.session') ?? '');
  return { page, token: (JSON.parse(saved) as { token: string }).token };
}

test('a town clerk diverts a petition to two departments, each reports in its own session, and the case closes', async ({ browser }, info) => {
  const clerk = await session(browser, 'clerk-galutu');
  const subject = `草场被占用（分流 ${info.project.name}）`;
  const r = await clerk.page.request.post('/v1/cases', {
    headers: { Authorization: `Bearer ${clerk.token}` },
    data: {
      matter: 'petition', channel: 'visit', subject, resident_name: '张三',
      data: {
        petitioner: '张三', phone: '13800138000', channel: 'visit', category: 'request', topic: 'land', people: 1,
        facts: '邻居占用草场，多次协商未果。',
      },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const k = (await r.json()) as { id: string; number: string };

  const page = clerk.page;
  await page.goto(`/cases/${k.id}`);
  await expect(page.getByRole('heading', { name: `案件 ${k.number}` })).toBeVisible();
  const summary = page.getByTestId('summary');
  await complete(page, '登记受理');
  await expect(summary).toContainText('受理并书面告知');
  await complete(page, '受理');
  await expect(summary).toContainText('分流交办（吹哨）');
  // The departments the procedure's divert rule would choose are offered; the clerk names two.
  await complete(page, '交办部门', async (dialog) => {
    const pick = dialog.getByRole('combobox', { name: '分流部门' });
    await pick.click();
    await page.locator('.ant-select-item-option[title="旗司法局"]').click();
    await page.locator('.ant-select-item-option[title="旗人力资源和社会保障局"]').click();
    await pick.press('Escape');
    await look(page, info, '30-divert-dialog');
  });
  await expect(summary).toContainText('部门报到、职责确认');
  const tasks = page.getByTestId('tasks');
  await expect(tasks).toContainText('旗司法局');
  await expect(tasks).toContainText('旗人力资源和社会保障局');

  // A clerk of another town cannot open the case by its address: it is as unknown as a missing one.
  const stranger = await session(browser, 'clerk-chengchuan');
  await stranger.page.goto(`/cases/${k.id}`);
  await expect(stranger.page.getByText('找不到这个案件，或您无权查看。')).toBeVisible();
  await expect(stranger.page.getByText(subject)).toHaveCount(0);
  await look(stranger.page, info, '32-case-of-another-town');
  await stranger.page.context().close();

  // Each department's staff, in a session of their own, find the case in the queue and report in.
  for (const [user, name] of [['justice-staff', '旗司法局'], ['hrss-staff', '旗人力资源和社会保障局']] as const) {
    const staff = await session(browser, user);
    const row = staff.page.locator('.ant-table-row', { hasText: k.number });
    await expect(row).toBeVisible();
    await expect(row).toContainText('部门报到、职责确认');
    await row.getByRole('link', { name: k.number }).click();
    await expect(staff.page.getByRole('heading', { name: `案件 ${k.number}` })).toBeVisible();
    await expect(staff.page.getByTestId('tasks')).toContainText(name);
    await complete(staff.page, '承办');
    // Its own task is done; the case waits for the other department or moves on.
    await expect(staff.page.getByTestId('action-complete')).toHaveCount(0);
    await expect(staff.page.getByTestId('timeline-entry').last()).toContainText(user);
    await staff.page.context().close();
  }

  // Both reported: the case is back with the town's clerk to handle, reply and close.
  await page.reload();
  await expect(summary).toContainText('办理');
  await complete(page, '出具书面处理意见', async (dialog) => {
    await dialog.getByRole('textbox', { name: '处理意见' }).fill('司法局与人社局联合核查，依法出具书面处理意见。');
  });
  await expect(summary).toContainText('答复、办结');
  await complete(page, '办结');
  await expect(summary).toContainText('已办结');
  await expect(page.getByTestId('action-complete')).toHaveCount(0);
  const timeline = page.getByTestId('timeline-entry');
  await expect(timeline).toHaveCount(8);
  await expect(timeline.filter({ hasText: 'justice-staff' })).toHaveCount(1);
  await expect(timeline.filter({ hasText: 'hrss-staff' })).toHaveCount(1);
  await look(page, info, '34-closed');
  await page.context().close();
});
