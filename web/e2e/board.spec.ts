import { expect, test, type APIRequestContext } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });
// A deadline of one minute (the shortest a procedure may give) has to lapse while the board is
// open. A cap: the journey takes 1.5 min in make test, and nearly 4 beside a second Playwright run.
test.setTimeout(300_000);

/** A mediation procedure whose step is due one minute after it opens, extendable by a supervisor. */
const minuteProcedure = `
key: board_minute
matter: mediation
name: 分钟调解（督办演示）
name_en: Mediation in minutes (supervision demo)
version: 1
status: draft
form:
  - {name: facts, label: 事实, label_en: Facts, type: long_text, required: true, min_length: 2, max_length: 500}
steps:
  - id: mediate
    name: 调解
    name_en: Mediate
    assignee: {role: clerk}
    deadline: {amount: 1, unit: minutes, extendable: true, extension: {amount: 30, unit: days}, max_extensions: 3}
    outcomes:
      - {id: settled, name: 调解成功, name_en: Settled, next: end, kind: mediated_success}
      - {id: failed, name: 调解不成, name_en: Failed, next: end, kind: mediated_failure}
`;

/** publish stores the procedure as a new draft (version 1, or the next one on a center that has it) and publishes it. */
async function publish(request: APIRequestContext, admin: string): Promise<void> {
  const headers = { Authorization: `Bearer ${admin}` };
  const r = await request.post('/v1/procedures', { headers, data: { yaml: minuteProcedure } });
  expect(r.ok(), await r.text()).toBeTruthy();
  const { version } = (await r.json()) as { version: number };
  const p = await request.post(`/v1/procedures/board_minute/versions/${version}/publish`, { headers });
  expect(p.ok(), await p.text()).toBeTruthy();
}

test('a supervisor watches a case go overdue on the board and in the bell without reloading, orders supervision from the board and records a finding', async ({ page, request }, info) => {
  await publish(request, await tokenOf(request, 'admin'));

  // The town's supervisor has the board open; the bell listens on the event stream.
  await signIn(page, 'supervisor-galutu');
  await page.getByRole('menuitem', { name: '督办看板' }).click();
  await expect(page).toHaveURL(/\/supervision$/);
  await expect(page.getByRole('heading', { name: '督办看板' })).toBeVisible();
  const bell = page.getByTestId('bell');
  await expect(bell).toHaveAttribute('data-mode', 'live');
  // A reload would lose this mark.
  await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));

  // A resident's dispute at Sarula's window, passed up to the town at once: its step at the town
  // is due in a minute.
  const clerk = await tokenOf(request, 'clerk-sarula');
  const headers = { Authorization: `Bearer ${clerk}` };
  const r = await request.post('/v1/cases', {
    headers,
    data: {
      matter: 'mediation', procedure: 'board_minute', channel: 'visit', subject: `跨村草场边界纠纷（看板 ${info.project.name}）`,
      resident_name: '巴特尔', data: { facts: '两村牧民对草场边界各执一词，多次协商未果。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const k = (await r.json()) as { id: string; number: string };
  const up = await request.post(`/v1/cases/${k.id}/actions`, {
    headers,
    data: { type: 'escalate', reason: '涉及两村草场边界，本级无法调处' },
  });
  expect(up.ok(), await up.text()).toBeTruthy();

  // The escalation's notice reaches the bell, and the board reloads itself: the case is due soon.
  const soon = page.getByTestId('board-due-soon');
  const overdue = page.getByTestId('board-overdue');
  await expect(soon.getByRole('link', { name: k.number })).toBeVisible({ timeout: 20_000 });
  await expect(soon.locator('.ant-table-row', { hasText: k.number })).toContainText(/今日到期|剩/);
  await look(page, info, 'board-1-due-soon');
  const before = Number(await bell.getAttribute('data-count'));

  // A minute later the step is overdue: the case moves to the overdue part and the bell counts it.
  const row = overdue.locator('.ant-table-row', { hasText: k.number });
  await expect(row).toBeVisible({ timeout: 100_000 });
  await expect(soon.getByRole('link', { name: k.number })).toHaveCount(0);
  await expect(row).toContainText(/已逾期 \d+ 小时|逾期 \d+ 个工作日/);
  await expect(row).toContainText('嘎鲁图镇');
  await expect.poll(async () => Number(await bell.getAttribute('data-count')), { timeout: 10_000 }).toBeGreaterThan(before);
  expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
  const group = overdue.getByTestId('board-group').filter({ has: page.locator('.ant-table-row', { hasText: k.number }) });
  await expect(group).toHaveAttribute('data-level', 'town');

  // The way the case went: the village that received it, then the town that holds it now.
  await row.getByRole('button', { name: /展开/ }).click();
  const chain = overdue.getByTestId('case-chain');
  await expect(chain).toContainText('上报 1 次');
  await expect(chain.getByTestId('chain-stop')).toHaveCount(2);
  await expect(chain.getByTestId('chain-stop').first()).toContainText('萨如拉社区');
  await expect(chain.getByTestId('chain-stop').last()).toContainText('嘎鲁图镇');
  await expect(chain).toContainText('嘎查村/社区');
  await expect(chain).toContainText('苏木镇');
  await look(page, info, 'board-2-overdue-chain');

  // The bell lists the notice, linking to the case; opening it marks everything read.
  await bell.click();
  const list = page.getByTestId('bell-list');
  const notice = list.getByTestId('bell-item').filter({ hasText: k.number }).filter({ hasText: '已逾期' });
  await expect(notice.first()).toBeVisible();
  await look(page, info, 'board-3-bell');
  await expect(bell).toHaveAttribute('data-count', '0');
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();

  // Urge it (催办), with several selectable.
  await row.getByRole('checkbox').check();
  await page.getByTestId('board-urge').click();
  let dialog = page.getByRole('dialog', { name: /催办 1 件案件/ });
  await expect(dialog.getByTestId('urge-cases')).toContainText(k.number);
  await dialog.getByRole('button', { name: '发送催办' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('已催办 1 件案件')).toBeVisible();

  // The supervision order (督办), from the board, through the case page's own action form.
  await row.getByTestId('board-supervise').click();
  dialog = page.getByRole('dialog', { name: '督办' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('原因').fill('逾期未调处，请今日内答复进展。');
  await dialog.getByRole('spinbutton', { name: '答复期限' }).fill('1');
  await look(page, info, 'board-4-supervise');
  await dialog.getByRole('button', { name: /确\s*定/ }).click();
  await expect(dialog).toBeHidden();
  expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);

  // The case page shows the order.
  await row.getByRole('link', { name: k.number }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${k.id}$`));
  const entries = page.getByTestId('timeline-entry');
  const order = entries.filter({ hasText: '逾期未调处，请今日内答复进展。' });
  await expect(order).toHaveCount(1);
  await expect(order).toContainText('督办');
  await expect(order).toContainText('supervisor-galutu');
  // and lists it among the case's supervision orders, addressed to the town, awaiting its reply.
  const orders = page.getByTestId('orders');
  await expect(orders).toContainText('逾期未调处，请今日内答复进展。');
  await expect(orders).toContainText('嘎鲁图镇');
  await expect(orders).toContainText('待答复');
  await look(page, info, 'board-5-case-supervised');

  // 督办查究: the finding on the overdue task, holding the village responsible.
  await page.getByTestId('action-find').click();
  dialog = page.getByRole('dialog', { name: '查究' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('combobox', { name: '查究事项' }).click();
  const overdueTask = page.locator('.ant-select-item-option').filter({ hasText: '逾期任务' }).first();
  await expect(overdueTask).toBeVisible();
  await overdueTask.click();
  await dialog.getByRole('combobox', { name: '责任单位或部门' }).click();
  await page.keyboard.type('萨如拉');
  await page.locator('.ant-select-item-option[title="萨如拉社区"]').click();
  await dialog.getByLabel('原因').fill('调解员外出，无人代岗');
  await dialog.getByLabel('处理措施').fill('约谈社区负责人，建立代岗制度');
  await look(page, info, 'board-6-finding');
  await dialog.getByRole('button', { name: /确\s*定/ }).click();
  await expect(dialog).toBeHidden();
  const findings = page.getByTestId('findings');
  await expect(findings).toContainText('萨如拉社区');
  await expect(findings).toContainText('调解员外出，无人代岗');
  await expect(findings).toContainText('约谈社区负责人，建立代岗制度');
  await expect(entries.filter({ hasText: '查究' })).toHaveCount(1);
});

test('when the event stream does not get through, the bell polls by itself and still counts new notices', async ({ page, request }, info) => {
  // A government proxy that cuts the stream: every GET /v1/events fails.
  await page.route('**/v1/events', (route) => route.abort('connectionreset'));
  await publish(request, await tokenOf(request, 'admin'));
  const clerk = await tokenOf(request, 'clerk-galutu');
  const r = await request.post('/v1/cases', {
    headers: { Authorization: `Bearer ${clerk}` },
    data: {
      matter: 'mediation', procedure: 'board_minute', channel: 'phone', subject: `牧户用水纠纷（轮询 ${info.project.name}）`,
      resident_name: '其木格', data: { facts: '上下游牧户因井水分配发生争执。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const k = (await r.json()) as { id: string; number: string };

  await signIn(page, 'supervisor-galutu');
  await page.getByRole('menuitem', { name: '督办看板' }).click();
  const bell = page.getByTestId('bell');
  await expect(bell).toHaveAttribute('data-mode', 'polling');
  await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
  const before = Number(await bell.getAttribute('data-count'));

  // A supervisor urges the case held by the town: the next poll brings the notice.
  const supervisor = await tokenOf(request, 'supervisor-galutu');
  const u = await request.post('/v1/supervision/urge', {
    headers: { Authorization: `Bearer ${supervisor}` },
    data: { cases: [k.id], message: '请尽快联系双方当事人。' },
  });
  expect(u.ok(), await u.text()).toBeTruthy();
  await expect.poll(async () => Number(await bell.getAttribute('data-count')), { timeout: 30_000 }).toBeGreaterThan(before);
  expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
  await bell.click();
  // The count may have risen for another notice first (the case of the journey before this one
  // going overdue, every minute): the open list then takes the urge from a later poll (every 20 s).
  const notice = page.getByTestId('bell-list').getByTestId('bell-item').filter({ hasText: k.number });
  await expect(notice.first()).toContainText('请尽快联系双方当事人。', { timeout: 45_000 });
  await expect(page.getByTestId('bell-list')).toContainText('推送中断');
  await look(page, info, 'board-6-bell-polling');
});
