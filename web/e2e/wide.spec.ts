import { expect, test, type Page } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });
test.setTimeout(180_000);

/**
 * see opens a page of the side menu and checks that it is drawn wide: its menu item selected, its
 * data loaded (no skeleton left), nothing wider than the window; then looks at it.
 */
async function see(page: Page, info: Parameters<typeof look>[1], menu: string, path: RegExp, name: string) {
  await page.getByRole('menuitem', { name: menu }).click();
  await expect(page).toHaveURL(path);
  await expect(page.locator('.ant-menu-item-selected')).toContainText(menu);
  await expect(page.locator('.ant-skeleton')).toHaveCount(0);
  await look(page, info, name);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} is wider than the window`).toBeLessThanOrEqual(0);
}

// The larger monitor draws the same pages as the office size, whose journeys check what they do:
// here each main page is opened once, as its users see it, to see it laid out wide.
test('the main pages laid out on a large monitor', async ({ page, request }, info) => {
  const clerk = await tokenOf(request, 'clerk-sarula');
  const r = await request.post('/v1/cases', {
    headers: { Authorization: `Bearer ${clerk}` },
    data: {
      matter: 'mediation', channel: 'visit', subject: `邻里噪音纠纷（宽屏 ${info.project.name}）`, resident_name: '王五',
      data: { applicant: '王五', phone: '13800138000', respondent: '赵六', dispute_type: 'neighbour', facts: '楼上夜间噪音扰民，多次协商未果。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const { number } = (await r.json()) as { number: string };

  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: /登录工作台/ })).toBeVisible();
  await look(page, info, 'wide-1-signin');

  await signIn(page, 'clerk-sarula');
  await see(page, info, '我的待办', /\/queue$/, 'wide-2-queue');
  await see(page, info, '登记', /\/register$/, 'wide-3-register');
  await see(page, info, '案件查询', /\/cases$/, 'wide-4-search');
  await page.goto(`/cases/${number}`);
  await expect(page.getByRole('heading', { name: new RegExp(number) })).toBeVisible();
  await expect(page.getByTestId('summary')).toContainText('宽屏');
  await look(page, info, 'wide-5-case');

  await page.getByRole('button', { name: '退出' }).click();
  await signIn(page, 'supervisor-galutu');
  await see(page, info, '督办看板', /\/supervision$/, 'wide-6-board');
  await see(page, info, '统计', /\/stats/, 'wide-7-stats');
  await see(page, info, '考评', /\/assessment/, 'wide-8-assessment');

  await page.getByRole('button', { name: '退出' }).click();
  await signIn(page, 'supervisor-banner');
  await see(page, info, '会商研判', /\/conferences$/, 'wide-9-conferences');
  await see(page, info, '诉调对接', /\/court$/, 'wide-10-court');

  await page.getByRole('button', { name: '退出' }).click();
  await signIn(page, 'admin');
  await see(page, info, '流程管理', /\/studio/, 'wide-11-studio');
});
