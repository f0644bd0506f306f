import { expect, test, type Locator } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

const save = (dialog: Locator) => dialog.getByRole('button', { name: /保\s*存/ }).click();

// A county's administrator keeps their county's organisation: a new village under a town,
// renamed; an on-call department's response time; and a clerk holding a task cannot be moved.
// Each screen size works in a county of its own (Wushen at 1366, Otog Front at 1920) and on
// codes of its own, since both run against one center at once.
test('a county administrator adds a village and renames it, changes an on-call department\'s hours, and cannot move a clerk holding a task', async ({ page, request }, info) => {
  const [admin, townCode, town, clerk, clerkUnit] = info.project.name === '1366x768'
    ? ['admin-wushen', 'galutu', '嘎鲁图镇', 'clerk-banner', '乌审旗综治中心']
    : ['admin-otog', 'chengchuan', '城川镇', 'clerk-otog', '鄂托克前旗综治中心'];
  const stamp = Date.now().toString(36);
  const code = `e2e-v-${stamp}`;

  // The clerk (no other journey's) holds an open task: a case they registered, its task claimed.
  const auth = { Authorization: `Bearer ${await tokenOf(request, clerk)}` };
  const r = await request.post('/v1/cases', {
    headers: auth,
    data: {
      matter: 'mediation', channel: 'visit', subject: `草场边界纠纷（组织 ${info.project.name}）`, resident_name: '乌云',
      data: { applicant: '乌云', phone: '13800138000', respondent: '巴图', dispute_type: 'neighbour', facts: '两户草场边界不清。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const kase = ((await r.json()) as { id: string }).id;
  let task = '';
  await expect.poll(async () => {
    const q = await request.get('/v1/tasks?limit=100', { headers: auth });
    const items = ((await q.json()) as { items: { case_id: string; task: { id: string } }[] | null }).items ?? [];
    task = items.find((i) => i.case_id === kase)?.task.id ?? '';
    return task;
  }).not.toBe('');
  const claimed = await request.post(`/v1/tasks/${kase}/${task}/claim`, { headers: auth });
  expect(claimed.ok(), await claimed.text()).toBeTruthy();
  const dept = `e2e-d-${stamp}`;
  const added = await request.put(`/v1/admin/org/departments/${dept}`, {
    headers: { Authorization: `Bearer ${await tokenOf(request, 'admin')}` },
    data: { name: `应急管理局${stamp}`, mode: 'on_call', response_hours: 24 },
  });
  expect(added.ok(), await added.text()).toBeTruthy();

  await signIn(page, admin);
  await page.getByRole('menuitem', { name: '组织与人员' }).click();
  await expect(page).toHaveURL(/\/org$/);
  await expect(page.getByRole('heading', { name: '组织与人员' })).toBeVisible();

  // 组织机构: the town, then a village below it.
  const tree = page.getByTestId('org-tree');
  await tree.getByTestId(`unit-${townCode}`).click();
  const details = page.getByTestId('unit-details');
  await expect(details).toContainText(town);
  await expect(details).toContainText('苏木镇');
  await page.getByRole('button', { name: '新增下级单位' }).click();
  const add = page.getByRole('dialog', { name: `在“${town}”下新增嘎查村/社区` });
  await add.getByLabel('代码').fill(code);
  await add.getByLabel('名称', { exact: true }).fill(`测试嘎查${stamp}`);
  await add.getByLabel('英文名称').fill(`Test Gacha ${stamp}`);
  await save(add);
  await expect(add).toBeHidden();
  await expect(tree.getByTestId(`unit-${code}`)).toContainText(`测试嘎查${stamp}`);
  await expect(details).toContainText(code);
  await expect(details).toContainText('嘎查村/社区');
  await expect(details).toContainText(town);

  await page.getByRole('button', { name: /^编\s*辑$/ }).click();
  const edit = page.getByRole('dialog', { name: /编辑单位/ });
  await edit.getByLabel('名称', { exact: true }).fill(`更名嘎查${stamp}`);
  await save(edit);
  await expect(edit).toBeHidden();
  await expect(tree.getByTestId(`unit-${code}`)).toContainText(`更名嘎查${stamp}`);
  await look(page, info, 'org-units');

  // 工作人员: the clerk holding the task cannot move to the new village.
  await page.getByRole('tab', { name: '工作人员' }).click();
  await page.getByRole('searchbox', { name: '搜索姓名、账号或单位' }).fill(clerk);
  const person = page.getByTestId('staff').locator('.ant-table-row', { hasText: clerk });
  await expect(person).toContainText(clerkUnit);
  await person.getByRole('button', { name: '编辑' }).click();
  const staff = page.getByRole('dialog', { name: /编辑工作人员/ });
  await staff.getByLabel('所在单位').click();
  await staff.getByLabel('所在单位').fill(`更名嘎查${stamp}`);
  await page.getByRole('option', { name: new RegExp(`更名嘎查${stamp}`) }).click();
  await save(staff);
  await expect(staff.locator('.ant-form-item-explain-error, [data-testid=form-refusal]').first()).toContainText(/任务/);
  await staff.getByRole('button', { name: /取\s*消/ }).click();
  await expect(person).toContainText(clerkUnit);

  // 部门 are every county's: the county's administrator reads them, the city's changes them.
  await page.getByRole('tab', { name: '部门' }).click();
  await expect(page.getByText('部门由各旗县共用，由市级管理员维护；此处只读。')).toBeVisible();
  await page.getByRole('button', { name: '退出' }).click();
  await signIn(page, 'admin');
  await page.getByRole('menuitem', { name: '组织与人员' }).click();
  await page.getByRole('tab', { name: '部门' }).click();
  // An on-call department of this run's own (added through the API), its response time changed.
  const row = page.getByTestId('departments').locator('.ant-table-row', { hasText: dept });
  await expect(row).toContainText('随叫随驻');
  await expect(row).toContainText('24 小时');
  await row.getByRole('button', { name: '编辑' }).click();
  const hours = page.getByRole('dialog', { name: /编辑部门/ });
  await hours.getByLabel('响应时限').fill('6');
  await save(hours);
  await expect(hours).toBeHidden();
  await expect(row).toContainText('6 小时');
});
