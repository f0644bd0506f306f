import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { look, signIn } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

test('a town clerk searches cases, keeps the search in the URL, opens a case and exports the search as CSV', async ({ page, request }, info) => {
  const token = await signIn(page, 'clerk-galutu');
  const tag = `查询${info.project.name.replace('x', '乘')}`;
  const numbers: string[] = [];
  for (const who of ['乌日娜', '巴雅尔']) {
    const r = await request.post('/v1/cases', {
      headers: { Authorization: `Bearer ${token}` },
      data: {
        matter: 'petition', channel: 'visit', subject: `草场补贴发放（${tag}）`, resident_name: who,
        data: { petitioner: who, phone: '13800138000', channel: 'visit', category: 'request', topic: 'land', people: 1, facts: '草场补贴迟迟未发放，请求核实。' },
      },
    });
    expect(r.ok(), await r.text()).toBeTruthy();
    numbers.push(((await r.json()) as { number: string }).number);
  }

  await page.getByRole('menuitem', { name: '案件查询' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  const results = page.getByTestId('results');
  await expect(results.getByRole('link', { name: numbers[1]! })).toBeVisible();
  await look(page, info, '12-search');

  // A text and a matter: both land in the URL, so the search can be bookmarked and shared.
  await page.getByLabel('关键词').fill(tag);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await page.getByLabel('事项').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '信访' }).click();
  await expect(page).toHaveURL(/matter=petition/);
  expect(new URL(page.url()).searchParams.get('q')).toBe(tag);
  await expect(results.locator('tbody tr.ant-table-row')).toHaveCount(2);
  await expect(results).toContainText('信访');
  await expect(results).toContainText('办理中');
  await look(page, info, '13-search-filtered');

  // The bookmark: the same URL opened afresh shows the same search.
  await page.reload();
  await expect(page.getByLabel('关键词')).toHaveValue(tag);
  await expect(results.locator('tbody tr.ant-table-row')).toHaveCount(2);

  // The export carries the same filters and the token in a header, never in the URL.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  expect(download.suggestedFilename()).toMatch(/^案件查询-\d{8}-\d{4}\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.trim().split(/\r?\n/);
  expect(lines).toHaveLength(3);
  for (const n of numbers) expect(csv).toContain(n);

  await results.getByRole('link', { name: numbers[0]! }).click();
  await expect(page.getByRole('heading', { name: `案件 ${numbers[0]}` })).toBeVisible();
});
