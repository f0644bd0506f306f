import { expect, test, type APIRequestContext } from '@playwright/test';
import { look, signIn } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

/** registerMediation registers a neighbours' dispute at the clerk's window through the API. */
async function registerMediation(request: APIRequestContext, token: string, subject: string) {
  const r = await request.post('/v1/cases', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      matter: 'mediation', channel: 'visit', subject, resident_name: '巴特尔',
      data: {
        applicant: '巴特尔', phone: '13800138000', respondent: '其木格', dispute_type: 'neighbour',
        facts: '楼上住户夜间装修，噪音影响休息，多次沟通未果。',
      },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  return (await r.json()) as { id: string; number: string };
}

async function offered(request: APIRequestContext, token: string, id: string): Promise<string[]> {
  const r = await request.get(`/v1/cases/${id}/actions`, { headers: { Authorization: `Bearer ${token}` } });
  expect(r.ok()).toBeTruthy();
  return ((await r.json()) as { actions: { type: string }[] }).actions.map((a) => a.type);
}

test('a village clerk opens a case, sees only the offered actions and completes it with an outcome', async ({ page, request }, info) => {
  const token = await signIn(page, 'clerk-sarula');
  const k = await registerMediation(request, token, `邻里噪音纠纷（案件页 ${info.project.name}）`);

  await page.goto(`/cases/${k.id}`);
  await expect(page.getByRole('heading', { name: `案件 ${k.number}` })).toBeVisible();
  const summary = page.getByTestId('summary');
  await expect(summary).toContainText('人民调解');
  await expect(summary).toContainText('纠纷登记');
  await expect(summary).toContainText('萨如拉社区');
  await expect(summary).toContainText('来访');

  // Exactly the actions the server offers, each with its Chinese name.
  const types = await offered(request, token, k.id);
  expect(types).toContain('complete');
  const buttons = page.getByTestId('actions').getByRole('button');
  await expect(buttons).toHaveCount(types.length);
  for (const type of types) await expect(page.getByTestId(`action-${type}`)).toBeVisible();
  await expect(page.getByTestId('action-complete')).toHaveText(/办\s*理/);
  await expect(page.getByTestId('action-extend')).toHaveCount(0); // a clerk does not extend deadlines

  // The due date's explanation is one click away.
  const tasks = page.getByTestId('tasks');
  await expect(tasks).toContainText('纠纷登记');
  await expect(tasks).toContainText(/\d{4}-\d\d-\d\d (24:00|\d\d:\d\d)/);
  const why = tasks.getByRole('button', { name: '期限说明' });
  await why.click();
  await expect(page.getByTestId('due-explanation')).toContainText(/工作日/);
  await expect(page.getByTestId('due-explanation')).toContainText('计入的日子');
  await page.waitForTimeout(400); // the popover fades in: screenshot it drawn, not half-transparent
  await look(page, info, '6-case-due-explanation');
  await why.click();
  await expect(page.getByTestId('due-explanation')).toBeHidden();

  const timeline = page.getByTestId('timeline-entry');
  await expect(timeline).toHaveCount(1);
  await expect(timeline.first()).toContainText('登记');
  // The procedure's step diagram, its current step highlighted, escalations drawn apart.
  const diagram = page.getByTestId('step-diagram');
  await expect(diagram.getByTestId('diagram-current')).toContainText('纠纷登记');
  await expect(diagram).toContainText('办结');
  await expect(diagram).toContainText('↑ ');
  await look(page, info, '6-case');

  await page.getByTestId('action-complete').click();
  const dialog = page.getByRole('dialog', { name: '办理' });
  await expect(dialog).toBeVisible();
  await dialog.getByText('登记', { exact: true }).click();
  await expect(dialog).toContainText('下一环节：受理');
  await look(page, info, '7-complete-dialog');
  await dialog.getByRole('button', { name: /确\s*定/ }).click();

  // Only after the server answered: the dialog closes, the step moved, the timeline grew.
  await expect(dialog).toBeHidden();
  await expect(summary).not.toContainText('纠纷登记');
  await expect(timeline).toHaveCount(2);
  await expect(timeline.nth(1)).toContainText('办理');
  await expect(timeline.nth(1)).toContainText('萨如拉社区调解员 · clerk-sarula'); // who, by name
  await expect(timeline.nth(1)).toContainText('登记'); // the outcome, by its name
  await expect(buttons).toHaveCount((await offered(request, token, k.id)).length);
  await expect(diagram.getByTestId('diagram-current')).not.toContainText('纠纷登记'); // it moved on
  await look(page, info, '8-case-after');
  await page.getByTestId('diagram').getByRole('button', { name: '收起' }).click();
  await expect(diagram).toBeHidden();
});

test('a refused action shows the server’s reason and changes nothing on the page', async ({ page, request }, info) => {
  const token = await signIn(page, 'clerk-sarula');
  const k = await registerMediation(request, token, `邻里噪音纠纷（退回 ${info.project.name}）`);
  await page.goto(`/cases/${k.id}`);
  await expect(page.getByTestId('timeline-entry')).toHaveCount(1);

  // An escalation whose reason is only blanks: the server refuses it (422) with its Chinese
  // message, located at the reason field, under which the form shows it.
  await page.getByTestId('action-escalate').click();
  let dialog = page.getByRole('dialog', { name: '上报' });
  await dialog.getByLabel('原因').fill('   ');
  await dialog.getByRole('button', { name: /确\s*定/ }).click();
  await expect(dialog.locator('.ant-form-item-explain-error')).toContainText('上报须说明理由');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: /取\s*消/ }).click();
  await expect(page.getByTestId('timeline-entry')).toHaveCount(1);

  // The clerk opens 办理 while a colleague completes the task at another window: the server
  // refuses (409) with its reason, and the page shows the case as the server has it.
  await page.getByTestId('action-complete').click();
  dialog = page.getByRole('dialog', { name: '办理' });
  await dialog.getByText('登记', { exact: true }).click();
  const r = await request.post(`/v1/cases/${k.id}/actions`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { type: 'complete', task: 't1', outcome: 'register' },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  await dialog.getByRole('button', { name: /确\s*定/ }).click();
  const refusal = dialog.getByTestId('action-refusal');
  await expect(refusal).toContainText('操作未被接受');
  await expect(refusal).toContainText('不在办理中');
  await look(page, info, '9-refused');
  await dialog.getByRole('button', { name: /取\s*消/ }).click();
  await expect(page.getByTestId('timeline-entry')).toHaveCount(2); // the colleague's, not a second one
});
