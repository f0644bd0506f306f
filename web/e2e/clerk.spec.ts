import { expect, test } from '@playwright/test';
import { look } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

test('a village clerk signs in, finds a new case in the queue, claims it and opens it', async ({ page, request }, info) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole('heading', { name: /登录工作台/ })).toBeVisible();
  await expect(page.getByText('萨如拉社区调解员')).toBeVisible();
  await look(page, info, '1-signin');

  await page.getByTestId('signin-clerk-sarula').click();
  await expect(page).toHaveURL(/\/queue$/);
  const me = page.getByTestId('whoami');
  await expect(me).toContainText('萨如拉社区调解员');
  await expect(me).toContainText('窗口受理员');
  await expect(me).toContainText('萨如拉社区');

  // The token is kept for this tab only: sessionStorage, never localStorage.
  const stored = await page.evaluate(() => ({
    session: sessionStorage.getItem('onedoor.session') ?? '',
    local: JSON.stringify({ ...localStorage }),
  }));
  const token = (JSON.parse(stored.session) as { token: string }).token;
  expect(token).toBeTruthy();
  expect(stored.local).not.toContain(token);

  // A resident comes to the window: the clerk's colleague registers the dispute through the API.
  const r = await request.post('/v1/cases', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      matter: 'mediation', channel: 'visit', subject: `邻里噪音纠纷（${info.project.name}）`, resident_name: '巴特尔',
      data: {
        applicant: '巴特尔', phone: '13800138000', respondent: '其木格', dispute_type: 'neighbour',
        facts: '楼上住户夜间装修，噪音影响休息，多次沟通未果。',
      },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const created = (await r.json()) as { id: string; number: string };

  await page.getByRole('button', { name: '刷新' }).click();
  const row = page.locator('.ant-table-row', { hasText: created.number });
  await expect(row).toBeVisible();
  await expect(row).toContainText('人民调解');
  await expect(row).toContainText('纠纷登记');
  await expect(row).toContainText(/剩 \d+ 个工作日|今日到期/);
  await look(page, info, '2-queue');

  await row.getByRole('button', { name: '认领' }).click();
  await expect(row.getByRole('button', { name: '释放' })).toBeVisible();
  await expect(row).toContainText('我');

  await row.getByRole('link', { name: created.number }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${created.id}$`));
  await expect(page.getByRole('heading', { name: `案件 ${created.number}` })).toBeVisible();
  const summary = page.locator('.ant-descriptions');
  await expect(summary).toContainText('人民调解');
  await expect(summary).toContainText('办理中');
  await expect(summary).toContainText('纠纷登记');
  await expect(summary).toContainText('萨如拉社区');
  await look(page, info, '3-case');
});

test('the top bar says who you are, switches to English and signs out', async ({ page }, info) => {
  await page.goto('/signin');
  await page.getByTestId('signin-justice-staff').click();
  const me = page.getByTestId('whoami');
  await expect(me).toContainText('部门工作人员');
  await expect(me).toContainText('旗司法局');

  await page.getByRole('menuitem', { name: '督办看板' }).click();
  await expect(page).toHaveURL(/\/supervision$/);
  // The board is a supervisor's: department staff are told where their work is.
  await expect(page.getByText(/督办看板供督办员、管理员和审计员使用/)).toBeVisible();
  await look(page, info, '4-board-not-mine');

  await page.getByRole('button', { name: /English/ }).click();
  await expect(me).toContainText('Department staff');
  await expect(page.getByRole('menuitem', { name: 'My tasks' })).toBeVisible();
  await page.getByRole('menuitem', { name: 'My tasks' }).click();
  await expect(page.getByRole('heading', { name: /My tasks/ })).toBeVisible();
  await look(page, info, '5-queue-en');

  await page.getByRole('button', { name: /Sign out/ }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect(await page.evaluate(() => sessionStorage.getItem('onedoor.session'))).toBeNull();
  await page.goto('/queue');
  await expect(page).toHaveURL(/\/signin$/);
});

test('a user of two posts works in one of them, or in both, from the top bar', async ({ page }, info) => {
  await page.goto('/signin');
  await page.getByTestId('signin-justice-galutu').click();
  await expect(page).toHaveURL(/\/queue$/);
  const posts = page.getByTestId('posts');
  // At first both: the queue holds each post's tasks, and requests name no post.
  await expect(posts).toContainText('全部2个岗位');
  await look(page, info, '5-two-posts');
  await posts.click();
  await expect(page.getByRole('option', { name: '窗口受理员 · 嘎鲁图镇' })).toBeVisible();
  // Choosing the bureau's post: every request from now on acts in it, the queue's first.
  const queue = page.waitForRequest((r) => r.url().includes('/v1/tasks') && r.headers()['onedoor-post'] === 'department:justice@wushen');
  await page.getByRole('option', { name: '部门工作人员 · 旗司法局' }).click();
  await queue;
  await expect(posts).toContainText('部门工作人员 · 旗司法局');
  // The choice lasts as long as the tab.
  const again = page.waitForRequest((r) => r.url().includes('/v1/tasks') && r.headers()['onedoor-post'] === 'department:justice@wushen');
  await page.reload();
  await again;
  await expect(posts).toContainText('部门工作人员 · 旗司法局');
  await look(page, info, '5-two-posts-chosen');
});
