import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { look, signIn } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });
// Two full-page screenshots with axe checks over a page of five charts: slow on a busy machine.
test.setTimeout(240_000);

test('a town supervisor reads the statistics as charts and as tables, by period and unit, and downloads a table as CSV', async ({ page, request }, info) => {
  const t = await request.post('/v1/dev/token', { data: { user: 'clerk-galutu' } });
  const clerk = ((await t.json()) as { token: string }).token;
  const r = await request.post('/v1/cases', {
    headers: { Authorization: `Bearer ${clerk}` },
    data: {
      matter: 'petition', channel: 'visit', subject: `草场补贴发放（统计 ${info.project.name}）`, resident_name: '乌日娜',
      data: { petitioner: '乌日娜', phone: '13800138000', channel: 'visit', category: 'request', topic: 'land', people: 1, facts: '草场补贴迟迟未发放，请求核实。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();

  const token = await signIn(page, 'supervisor-galutu');
  // The figures follow the case's rows by triggers: wait until the new case is counted.
  await expect
    .poll(async () => {
      const s = await request.get('/v1/stats', { headers: { Authorization: `Bearer ${token}` } });
      return ((await s.json()) as { received: number }).received;
    })
    .toBeGreaterThan(0);

  await page.getByRole('menuitem', { name: '统计' }).click();
  await expect(page).toHaveURL(/\/stats$/);
  await expect(page.getByTestId('figure-received')).toContainText(/受理\s*[1-9]/);
  await expect(page.getByTestId('figure-repeated')).toContainText('重复访');
  await expect(page.getByTestId('figure-group')).toContainText('集体访');
  for (const id of ['chart-weekly', 'chart-rates', 'chart-units', 'chart-matters', 'chart-levels']) {
    await expect(page.getByTestId(`${id}-chart`).locator('svg').first()).toBeVisible();
  }
  await expect(page.getByTestId('chart-matters-chart')).toContainText('信访');
  await page.waitForTimeout(300); // the charts draw on the next frame
  await look(page, info, '14-stats');

  // Every chart is also a table, and the table a CSV that Excel opens in Chinese (BOM).
  const weekly = page.getByTestId('chart-weekly');
  await weekly.getByText('表', { exact: true }).click();
  const table = page.getByTestId('chart-weekly-table');
  await expect(table.locator('tbody tr')).toHaveCount(12);
  await expect(table).toContainText('周（起）');
  const units = page.getByTestId('chart-units');
  await units.getByText('表', { exact: true }).click();
  await expect(page.getByTestId('chart-units-table')).toContainText('萨如拉');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-weekly-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^统计-每周受理与办结-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv.slice(1).split('\r\n')[0]).toBe('周（起）,受理,办结');
  expect(csv.trim().split('\r\n')).toHaveLength(13);
  await look(page, info, '15-stats-tables');

  // A unit and a period: kept in the URL, the figures of that unit alone.
  await page.getByLabel('受理单位（含下级）').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '萨如拉' }).first().click();
  await expect(page).toHaveURL(/org_unit=/);
  await expect(page.getByTestId('figure-received')).toBeVisible();
  await page.goto('/stats?from=2020-01-01&to=2020-12-31');
  await expect(page.getByTestId('figure-received')).toContainText(/受理\s*0/);
  await expect(page.getByTestId('chart-weekly')).toContainText('每月受理与办结');
});
