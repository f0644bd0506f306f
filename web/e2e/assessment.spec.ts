import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

// 考评: what a town's own staff finished, with the departments stationed beside them, over a
// period; sorted by a column, narrowed to a unit, downloaded as the server's Excel workbook.
test('a town supervisor reads the assessment of the units below, sorts it and downloads it as Excel', async ({ page, request }, info) => {
  // Galutu's clerk registers a petition and passes its first step: one task finished today.
  const clerk = await tokenOf(request, 'clerk-galutu');
  const auth = { Authorization: `Bearer ${clerk}` };
  const r = await request.post('/v1/cases', {
    headers: auth,
    data: {
      matter: 'petition', channel: 'visit', subject: `草场补贴发放（考评 ${info.project.name}）`, resident_name: '乌日娜',
      data: { petitioner: '乌日娜', phone: '13800138000', channel: 'visit', category: 'request', topic: 'land', people: 1, facts: '草场补贴迟迟未发放，请求核实。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const k = (await r.json()) as { id: string };
  const done = await request.post(`/v1/cases/${k.id}/actions`, { headers: auth, data: { type: 'complete', outcome: 'register' } });
  expect(done.ok(), await done.text()).toBeTruthy();

  // A clerk has no 考评 in the menu, and the API refuses them.
  await signIn(page, 'clerk-galutu');
  await expect(page.getByRole('menuitem', { name: '统计' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: '考评' })).toHaveCount(0);
  expect((await request.get('/v1/assessment', { headers: auth })).status()).toBe(403);
  await page.getByRole('button', { name: /退\s*出/ }).click();

  await signIn(page, 'supervisor-galutu');
  await page.getByRole('menuitem', { name: '考评' }).click();
  await expect(page).toHaveURL(/\/assessment$/);
  await expect(page.getByRole('heading', { name: '考评' })).toBeVisible();
  const table = page.getByTestId('assessment-table');
  const town = table.locator('.ant-table-row', { hasText: '嘎鲁图镇' }).filter({ hasText: '本级' });
  await expect(town).toBeVisible();
  // Its own staff finished at least the task above, on time.
  const cells = town.locator('td');
  await expect.poll(async () => Number(await cells.nth(2).innerText())).toBeGreaterThan(0);
  await expect(cells.nth(5)).toContainText('%');
  await expect(page.getByTestId('assessment-total')).toContainText('合计');
  // The total row has a cell under every column (the first spans the unit and its kind).
  await expect(page.getByTestId('assessment-total').locator('td')).toHaveCount(11);
  await look(page, info, '50-assessment');

  // Sorting by 办结任务, most first: the town's own staff come first.
  const handled = table.getByRole('columnheader', { name: '办结任务' });
  await handled.click();
  await handled.click();
  await expect(handled).toHaveAttribute('aria-sort', 'descending');
  const counts = await table.locator('.ant-table-row td:nth-child(3)').allInnerTexts();
  expect(counts.map(Number)).toEqual([...counts.map(Number)].sort((a, b) => b - a));

  // Narrowed to one community, which finished nothing: the table says so, and the URL keeps it.
  await page.getByTestId('assessment-unit').click();
  await page.keyboard.type('萨如拉');
  await page.locator('.ant-select-item-option[title="萨如拉社区"]').click();
  await expect(page).toHaveURL(/org_unit=galutu-v01/);
  await expect(table.locator('.ant-table-row', { hasText: '嘎鲁图镇' })).toHaveCount(0);

  await page.goto('/assessment');
  await expect(town).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('assessment-xlsx').click()]);
  expect(download.suggestedFilename()).toMatch(/^考评-\d{4}-01-01-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const book = readFileSync(await download.path());
  expect(book.subarray(0, 2).toString()).toBe('PK'); // an XLSX is a zip
  await expect(page.getByText('已下载考评表')).toBeVisible();
});
