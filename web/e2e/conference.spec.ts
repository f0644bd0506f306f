import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });
test.setTimeout(240_000);

/** mediate registers a dispute at the banner's window and takes it to the mediator's step. */
async function mediate(request: APIRequestContext, token: string, subject: string): Promise<string> {
  const headers = { Authorization: `Bearer ${token}` };
  const r = await request.post('/v1/cases', {
    headers,
    data: {
      matter: 'mediation', channel: 'visit', subject, resident_name: '巴特尔',
      data: { applicant: '巴特尔', phone: '13800138000', respondent: '某牧业合作社', dispute_type: 'contract', amount: 52000, facts: '合作社拖欠牧民劳务费，并占用其草场。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const { number } = (await r.json()) as { number: string };
  for (const outcome of ['register', 'accept', 'mediator']) {
    const a = await request.post(`/v1/cases/${number}/actions`, { headers, data: { type: 'complete', outcome, result: '已办理' } });
    expect(a.ok(), await a.text()).toBeTruthy();
  }
  return number;
}

/** pick chooses the option of the open select's dropdown whose text is text. */
async function pick(page: Page, text: string) {
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${text}$`) }).click();
}

test("the banner's supervisor convenes a conference on two disputes with three departments and records its decisions as the departments' tasks", async ({ page, request }, info) => {
  const clerk = await tokenOf(request, 'clerk-banner');
  const a = await mediate(request, clerk, `劳务费与草场纠纷（会商 ${info.project.name} 1）`);
  const b = await mediate(request, clerk, `草场占用纠纷（会商 ${info.project.name} 2）`);
  const topic = `跨部门纠纷会商（${info.project.name}）`;

  await signIn(page, 'supervisor-banner');
  await page.getByRole('menuitem', { name: '会商研判' }).click();
  await expect(page).toHaveURL(/\/conferences$/);
  await page.getByTestId('conf-convene').click();
  const form = page.getByTestId('conf-convene-form');
  await form.getByLabel('议题').fill(topic);
  await form.getByLabel('地点').fill('旗综治中心三楼会议室');
  const cases = form.getByLabel('案件');
  for (const n of [a, b, 'WS-MED-2020-999999']) {
    await cases.fill(n);
    await cases.press('Enter');
  }
  const depts = form.getByLabel('邀请部门');
  for (const d of ['旗司法局', '旗人力资源和社会保障局', '旗住房和城乡建设局']) {
    await depts.fill(d);
    await pick(page, d);
  }
  await page.keyboard.press('Escape');
  // A case number nobody has is named under the cases, and nothing is convened.
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(form).toContainText('您的范围内没有这个编号的案件');
  await look(page, info, 'conference-1-refused');
  await form.locator('.ant-select-selection-item', { hasText: 'WS-MED-2020-999999' }).locator('.ant-select-selection-item-remove').click();
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(form).toHaveCount(0);

  const row = page.getByTestId('conf-list').locator('.ant-table-row', { hasText: topic });
  await expect(row).toContainText('待召开');
  await expect(row).toContainText(a);

  // The case shows that it waits for the conference, its mediation's clock stopped.
  await row.getByRole('link', { name: a }).click();
  await expect(page.getByTestId('conference-waiting')).toContainText(topic);
  await expect(page.getByTestId('conference-waiting')).toContainText('会商前中止计时');
  await look(page, info, 'conference-2-case-waiting');
  await page.goBack();

  // Held: the minutes, who came, and three decisions.
  await row.getByTestId('conf-hold').click();
  const hold = page.getByTestId('conf-hold-form');
  await hold.getByLabel('会议纪要').fill('各方通报情况；司法局牵头组织联合调解，人社局核实劳务费，住建局核查草场边界。');
  await hold.getByLabel('旗司法局 出席人').fill('张科长');
  await hold.getByText('旗住房和城乡建设局', { exact: true }).click(); // did not attend
  const decisions = [
    { kase: a, dept: '旗司法局', task: '牵头组织联合调解', lead: true },
    { kase: a, dept: '旗人力资源和社会保障局', task: '核实拖欠劳务费', lead: false },
    { kase: b, dept: '旗住房和城乡建设局', task: '核查草场边界', lead: false },
  ];
  for (const [i, d] of decisions.entries()) {
    if (i > 0) await hold.getByTestId('conf-add-decision').click();
    const line = hold.getByTestId('conf-decision').nth(i);
    await line.getByLabel(`案件 ${i + 1}`).click();
    await pick(page, d.kase);
    await line.getByLabel(`承办部门 ${i + 1}`).click();
    await pick(page, d.dept);
    await line.getByLabel(`办理事项 ${i + 1}`).fill(d.task);
    if (d.lead) await line.getByText('牵头').click();
  }
  await look(page, info, 'conference-3-hold');
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(hold).toHaveCount(0);
  await expect(row).toContainText('已召开');

  // The decisions, each with its case's task due date.
  await row.locator('.ant-table-row-expand-icon').click();
  const details = page.getByTestId('conf-details');
  await expect(details).toContainText('旗司法局（出席：张科长）');
  await expect(details).toContainText('旗住房和城乡建设局（缺席）');
  await expect(details.locator('.ant-table-row')).toHaveCount(3);
  await expect(details).toContainText('牵头组织联合调解（牵头）');
  await look(page, info, 'conference-4-held');

  // The second case's timeline has the minutes and its decision; its task is the department's.
  await details.getByRole('link', { name: b }).first().click();
  await expect(page).toHaveURL(new RegExp(`/cases/${b}$`));
  await expect(page.getByTestId('conference-waiting')).toHaveCount(0);
  await expect(page.getByText('会商交办：核查草场边界').first()).toBeVisible();
  await expect(page.getByText(/纪要：各方通报情况/).first()).toBeVisible();
  await expect(page.getByText(/旗住房和城乡建设局：核查草场边界，5个工作日内办结/).first()).toBeVisible();
  await look(page, info, 'conference-5-case');
});
