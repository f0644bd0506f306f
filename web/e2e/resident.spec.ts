import { expect, test } from '@playwright/test';
import { look } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

// The residents' pages need no account. At the office size's project they are drawn on a phone
// (375×667), at the larger one on a desktop: a resident may open them on either.
test('a resident checks the status of a case on a phone with the right and the wrong digits, then rates it through its link', async ({ page, request }, info) => {
  if (info.project.name === '1366x768') await page.setViewportSize({ width: 375, height: 667 });
  const dev = await request.post('/v1/dev/token', { data: { user: 'clerk-sarula' } });
  expect(dev.ok(), await dev.text()).toBeTruthy();
  const headers = { Authorization: `Bearer ${((await dev.json()) as { token: string }).token}` };
  const r = await request.post('/v1/cases', {
    headers,
    data: {
      matter: 'petition', channel: 'visit', subject: `进度查询（${info.project.name}）`, resident_name: '其其格',
      data: { petitioner: '其其格', phone: '13912346677', channel: 'visit', category: 'request', topic: 'land', people: 1, facts: '草场围栏被邻户拆除。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const c = (await r.json()) as { id: string; number: string };

  // The QR code on the acceptance notice opens the page with the number filled in.
  await page.goto(`/status?n=${c.number}`);
  await expect(page.getByLabel('案件编号')).toHaveValue(c.number);
  await page.getByLabel('电话后四位').fill('6677');
  await page.getByRole('button', { name: '查询' }).click();
  const facts = page.getByTestId('status-facts');
  await expect(facts).toContainText('办理中');
  await expect(facts).toContainText('登记');
  await expect(facts).toContainText('萨如拉社区');
  await expect(facts).not.toContainText('其其格');
  await look(page, info, '40-resident-status');

  await page.getByLabel('电话后四位').fill('1234');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('status-refused')).toContainText('请核对案件编号和登记电话的后四位');
  await expect(facts).toBeHidden();

  // Closed on the spot; the clerk issues the rating link, which the resident opens.
  const closed = await request.post(`/v1/cases/${c.id}/actions`, { headers, data: { type: 'close', outcome: 'resolved', result: '当场协调恢复围栏' } });
  expect(closed.ok(), await closed.text()).toBeTruthy();
  const link = await request.post(`/v1/cases/${c.id}/rating-link`, { headers });
  expect(link.ok(), await link.text()).toBeTruthy();
  await page.goto((await link.json() as { path: string }).path);
  await expect(page.getByText(c.number)).toBeVisible();
  await look(page, info, '41-resident-rate');
  await page.getByRole('radio', { name: '满意', exact: true }).check(); // 4 of 5
  await page.getByLabel('意见建议（可不填）').fill('处理及时');
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByTestId('rated')).toContainText('感谢您的评价');
  await page.reload();
  await expect(page.getByText('该案件已评价')).toBeVisible();
});
