import { expect, test, type APIRequestContext } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

/**
 * A mediation procedure of its own (no other journey touches it), in two versions: version 2
 * renames the first step (intake → review, now 3 working days) and drops the second (handle).
 */
function procedure(key: string, version: 1 | 2): string {
  const steps = version === 1
    ? `
  - id: intake
    name: 受理
    assignee: {role: clerk}
    deadline: {amount: 5, unit: days}
    outcomes:
      - {id: accept, name: 受理, next: handle}
  - id: handle
    name: 调解
    assignee: {role: clerk}
    deadline: {amount: 30, unit: days}
    outcomes:
      - {id: done, name: 调解完毕, next: finish}`
    : `
  - id: review
    name: 审查受理
    assignee: {role: clerk}
    deadline: {amount: 3, unit: workdays}
    outcomes:
      - {id: accept, name: 受理, next: finish}`;
  return `
key: ${key}
matter: mediation
name: 草场调解（迁移演示）
version: 1
status: draft
form:
  - {name: facts, label: 事实, type: long_text, required: true, min_length: 2, max_length: 500}
steps:${steps}
  - id: finish
    name: 结案
    assignee: {role: clerk}
    deadline: {amount: 10, unit: days}
    outcomes:
      - {id: settled, name: 调解成功, next: end, kind: mediated_success}
`;
}

/** publish stores a version of the procedure as the next draft and publishes it. */
async function publish(request: APIRequestContext, token: string, key: string, version: 1 | 2): Promise<void> {
  const headers = { Authorization: `Bearer ${token}` };
  const r = await request.post('/v1/procedures', { headers, data: { yaml: procedure(key, version) } });
  expect(r.ok(), await r.text()).toBeTruthy();
  const p = await request.post(`/v1/procedures/${key}/versions/${((await r.json()) as { version: number }).version}/publish`, { headers });
  expect(p.ok(), await p.text()).toBeTruthy();
}

/** register starts a case on the procedure at Galutu's window; then takes the outcomes given. */
async function register(request: APIRequestContext, token: string, key: string, subject: string, ...outcomes: string[]) {
  const headers = { Authorization: `Bearer ${token}` };
  const r = await request.post('/v1/cases', {
    headers, data: { matter: 'mediation', procedure: key, channel: 'visit', subject, resident_name: '巴特尔', data: { facts: '两户牧民草场边界争议。' } },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const k = (await r.json()) as { id: string; number: string };
  for (const outcome of outcomes) {
    const a = await request.post(`/v1/cases/${k.number}/actions`, { headers, data: { type: 'complete', outcome, result: '已受理' } });
    expect(a.ok(), await a.text()).toBeTruthy();
  }
  return k;
}

test('an administrator moves the running cases of a procedure to its new version: plan, dry run, apply', async ({ page, request }, info) => {
  const key = `mig_${Date.now().toString(36)}`;
  const admin = await tokenOf(request, 'admin');
  const clerk = await tokenOf(request, 'clerk-galutu');
  await publish(request, admin, key, 1);
  const waiting = await register(request, clerk, key, `草场边界纠纷（迁移 ${info.project.name}）`);
  const mediating = await register(request, clerk, key, `草场租金纠纷（迁移 ${info.project.name}）`, 'accept');
  await publish(request, admin, key, 2);

  // From the new version in the studio to the plan's form, with the procedure and version chosen.
  await signIn(page, 'admin');
  await page.goto(`/studio/${key}/2`);
  await page.getByTestId('migrate').click();
  await expect(page).toHaveURL(new RegExp(`/migrations\\?procedure=${key}&to=2$`));
  const form = page.getByTestId('mig-form');
  await expect(form.getByTestId('mig-procedure')).toContainText(key);
  await expect(form.getByTestId('mig-from')).toContainText('第1版（已发布，在办2件）');
  await expect(form.getByTestId('mig-to')).toContainText('第2版');
  // The steps version 2 lacks are asked for; the one it keeps maps itself.
  const mapping = page.getByTestId('mig-mapping');
  await expect(mapping.getByTestId('mig-same')).toContainText('结案（finish） → 结案（finish）');
  await expect(mapping.getByText('调解（handle）')).toBeVisible();

  // A plan onto the version the cases run on is refused under its field.
  await form.getByTestId('mig-to').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '第1版' }).click();
  await page.getByRole('button', { name: '试运行' }).click();
  await expect(form.locator('.ant-form-item-explain-error', { hasText: '目标版本与源版本都是第1版' })).toBeVisible();
  await form.getByTestId('mig-to').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '第2版' }).click();

  // intake becomes review; handle is not mapped, so the case at it stays.
  await mapping.getByTestId('mig-map-intake').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '审查受理（review）' }).click();
  await look(page, info, 'mig-1-plan');
  await page.getByRole('button', { name: '试运行' }).click();

  // The dry run: where each case lands and its new due date, explained; or why it stays.
  await expect(page).toHaveURL(/\/migrations\/\d+$/);
  await expect(page.getByTestId('mig-status')).toHaveText('已试运行');
  await expect(page.getByTestId('mig-counts')).toContainText('共2件：待迁移1件，已迁移0件，留在原版本1件');
  const items = page.getByTestId('mig-items');
  const moving = items.locator('.ant-table-row', { hasText: waiting.number });
  await expect(moving).toContainText('受理（intake）');
  await expect(moving).toContainText('→ 审查受理（review）');
  await expect(moving.getByTestId('mig-due')).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await expect(moving.getByTestId('mig-due')).toContainText('工作日');
  const staying = items.locator('.ant-table-row', { hasText: mediating.number });
  await expect(staying).toContainText('留在原版本');
  await expect(staying).toContainText('环节handle在第2版中没有对应环节');
  await look(page, info, 'mig-2-dry-run');

  // Applied: the case moves through its workflow; the page follows the progress to the end.
  await page.getByTestId('mig-apply').click();
  await page.getByRole('dialog').getByRole('button', { name: /^应\s*用$/ }).click();
  await expect(page.getByTestId('mig-done')).toBeVisible();
  await expect(page.getByTestId('mig-status')).toHaveText('已完成');
  await expect(page.getByTestId('mig-counts')).toContainText('待迁移0件，已迁移1件，留在原版本1件，失败0件');
  await expect(moving).toContainText('已迁移');
  await look(page, info, 'mig-3-done');

  // The case runs on version 2 now, at its new step; the other is still on version 1.
  const moved = await request.get(`/v1/cases/${waiting.id}`, { headers: { Authorization: `Bearer ${admin}` } });
  expect(moved.ok(), await moved.text()).toBeTruthy();
  expect(await moved.json()).toMatchObject({ procedure_version: 2, step: 'review' });
  const stayed = await request.get(`/v1/cases/${mediating.id}`, { headers: { Authorization: `Bearer ${admin}` } });
  expect(await stayed.json()).toMatchObject({ procedure_version: 1, step: 'handle' });

  // The list of plans shows it done.
  await page.getByRole('link', { name: '返回迁移计划列表' }).click();
  const row = page.getByTestId('mig-plans').locator('.ant-table-row', { hasText: key }).first();
  await expect(row).toContainText('已完成');
  await expect(row).toContainText('第1版 → 第2版');
  await look(page, info, 'mig-4-list');
});
