import { expect, test } from '@playwright/test';
import { look, signIn } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

test('a supervisor reads the acceptance SMS a registration sent, with its attempt, and an administrator edits a template', async ({ page, request }, info) => {
  const t = await request.post('/v1/dev/token', { data: { user: 'clerk-galutu' } });
  const clerk = ((await t.json()) as { token: string }).token;
  const r = await request.post('/v1/cases', {
    headers: { Authorization: `Bearer ${clerk}` },
    data: {
      matter: 'petition', channel: 'visit', subject: `牧场围栏纠纷（通知 ${info.project.name}）`, resident_name: '其其格',
      data: { petitioner: '其其格', phone: '13900139000', channel: 'visit', category: 'request', topic: 'land', people: 1, facts: '邻居围栏占用牧场。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const number = ((await r.json()) as { number: string }).number;
  // The dev adapter sends at once: wait for it through the API, then the page shows it as sent.
  const s = await request.post('/v1/dev/token', { data: { user: 'supervisor-galutu' } });
  const supervisor = ((await s.json()) as { token: string }).token;
  await expect
    .poll(async () => {
      const o = await request.get(`/v1/outbox?case=${number}`, { headers: { Authorization: `Bearer ${supervisor}` } });
      return ((await o.json()) as { items: { status: string }[] }).items.map((m) => m.status);
    })
    .toEqual(['sent']);

  await signIn(page, 'supervisor-galutu');
  await page.getByRole('menuitem', { name: '发送记录' }).click();
  await expect(page).toHaveURL(/\/outbox$/);
  const row = page.getByRole('row').filter({ hasText: number });
  await expect(row).toContainText('已发送');
  await expect(row).toContainText('139****9000');
  await expect(row).toContainText('受理通知');
  await row.getByRole('button').first().click(); // expand: the text and its attempts
  await expect(page.getByTestId('attempt-1')).toContainText('成功');
  await expect(page.getByText(`案件编号${number}`)).toBeVisible();
  await look(page, info, 'outbox-messages');

  await page.getByRole('button', { name: '退出' }).click();
  await signIn(page, 'admin');
  await page.goto('/outbox?tab=templates');
  const card = page.getByTestId('template-acceptance');
  await card.getByRole('textbox').fill('{{.CaseNumber}} 身份证 {{.IDNumber}}');
  await card.getByRole('button', { name: '保存' }).click();
  await expect(card).toContainText('未知的变量{{.IDNumber}}');
});
