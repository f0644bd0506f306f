import { expect, test } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

// A county's administrator adopts the city's legal-consultation template with the county's own
// changes: a shorter deadline, never past the template's, and a row of the diversion table;
// publishing shows the changes first. Each screen size works in a county of its own (Wushen at
// 1366, Otog Front at 1920), since both run against one center at once.
test("a county administrator shortens a template's deadline and sets the diversion table, then publishes after the diff", async ({ page, request }, info) => {
  const [admin, county] = info.project.name === '1366x768' ? ['admin-wushen', '乌审旗'] : ['admin-otog', '鄂托克前旗'];
  await signIn(page, admin);
  await page.getByRole('menuitem', { name: '流程调整' }).click();
  await expect(page).toHaveURL(/\/overrides$/);
  await expect(page.getByRole('heading', { name: new RegExp(`${county}.*流程调整`) })).toBeVisible();
  const row = page.getByTestId('overrides').locator('.ant-table-row', { hasText: '法律咨询' });
  await expect(row).toContainText('第1版');
  await look(page, info, '60-overrides');

  await row.getByRole('link', { name: '法律咨询' }).click();
  await expect(page).toHaveURL(/\/overrides\/consultation$/);
  await expect(page.getByTestId('no-override')).toContainText('新案件按模板第1版办理');
  // Nothing to edit before a draft exists.
  await expect(page.getByTestId('deadline-step-intake')).toBeDisabled();
  await page.getByRole('button', { name: '开始调整（采用模板第1版）' }).click();
  await expect(page.getByText('已新建调整草稿')).toBeVisible();
  await expect(page.getByText('草稿', { exact: true })).toBeVisible();

  // 接待咨询 takes 2 hours by the template: the county gives 1. The field holds no more than 2.
  const intake = page.getByTestId('deadline-step-intake');
  await expect(intake).toBeEnabled();
  await intake.fill('5');
  await intake.blur();
  await expect(intake).toHaveValue('2');
  await intake.fill('1');
  await intake.blur();
  await expect(intake).toHaveValue('1');

  // Family questions go to the county's justice bureau; the picker offers only departments with staff in the county.
  await page.getByTestId('diversion-family').click();
  await page.locator('.ant-select-item-option', { hasText: '司法局' }).first().click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('diversion-family')).toContainText('司法局');
  await look(page, info, '61-override-draft');

  // Publishing saves the draft and lists what the county's new cases will see.
  await page.getByRole('button', { name: '发布…' }).click();
  const diff = page.getByTestId('override-diff');
  await expect(diff).toBeVisible();
  const changes = page.getByTestId('effective-changes');
  await expect(changes.locator('.ant-table-row', { hasText: 'intake' })).toContainText('1');
  await expect(changes.locator('.ant-table-row').filter({ hasText: /divert/ }).first()).toBeVisible();
  await look(page, info, '62-override-diff');
  await page.getByRole('button', { name: '确认发布' }).click();
  await expect(page.getByText('第1版已发布', { exact: true })).toBeVisible();
  await expect(page.getByText('已发布', { exact: true })).toBeVisible();
  await expect(page.getByTestId('deadline-step-intake')).toBeDisabled();

  // The server holds it: the county's consultations now run on override version 1 of template version 1.
  const token = await tokenOf(request, admin);
  const list = await request.get('/v1/overrides', { headers: { Authorization: `Bearer ${token}` } });
  expect(list.ok()).toBeTruthy();
  const mine = ((await list.json()) as { overrides: { key: string; in_force?: number; template: number }[] }).overrides.find((o) => o.key === 'consultation');
  expect(mine).toMatchObject({ in_force: 1, template: 1 });

  await page.getByRole('link', { name: '返回流程调整列表' }).click();
  await expect(page.getByTestId('overrides').locator('.ant-table-row', { hasText: '法律咨询' })).toContainText('第1版（采用模板第1版）');
});
