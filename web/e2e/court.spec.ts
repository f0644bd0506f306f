import { expect, test, type APIRequestContext } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });
// Three referrals through the API, two files, two sessions: slow on a busy machine.
test.setTimeout(240_000);

/** refer registers a dispute at the banner's window and takes it to the court's pre-litigation mediation. */
async function refer(request: APIRequestContext, token: string, subject: string): Promise<string> {
  const headers = { Authorization: `Bearer ${token}` };
  const r = await request.post('/v1/cases', {
    headers,
    data: {
      matter: 'mediation', channel: 'visit', subject, resident_name: '额尔敦',
      data: { applicant: '额尔敦', phone: '13800138000', respondent: '某建材店', dispute_type: 'contract', amount: 36000, facts: '购买建材后对方拒不退还多付货款。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const { number } = (await r.json()) as { number: string };
  for (const outcome of ['register', 'accept', 'mediator', 'court']) {
    const a = await request.post(`/v1/cases/${number}/actions`, { headers, data: { type: 'complete', outcome, result: '已办理' } });
    expect(a.ok(), await a.text()).toBeTruthy();
  }
  return number;
}

test("the banner's clerk imports the court's results, the file with a wrong row refused whole; the supervisor enters the court's count and reads the share", async ({ page, request }, info) => {
  const clerk = await tokenOf(request, 'clerk-banner');
  const numbers: string[] = [];
  for (const i of [1, 2, 3]) numbers.push(await refer(request, clerk, `买卖合同欠款纠纷（诉调 ${info.project.name} ${i}）`));

  await signIn(page, 'clerk-banner');
  await page.getByRole('menuitem', { name: '诉调对接' }).click();
  await expect(page).toHaveURL(/\/court$/);
  await expect(page.getByTestId('court-referred')).toContainText(/委派诉前调解\s*[1-9]/);

  // A file naming a case that was not referred is refused whole, its row named.
  const header = '案件编号,诉前调解案号,调解结果\r\n';
  await page.getByTestId('court-file').setInputFiles({
    name: '法院导出-有误.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`\ufeff${header}${numbers[0]},(2026)蒙0626民诉前调11号,调解成功\r\nWS-MED-2020-999999,,调解成功\r\n${numbers[1]},,和解\r\n`),
  });
  const refused = page.getByTestId('court-refused');
  await expect(refused).toContainText('文件未导入');
  await expect(refused).toContainText('第 3 行“案件编号”');
  await expect(refused).toContainText('您的范围内没有这个编号的案件');
  await expect(refused).toContainText('第 4 行“调解结果”');
  await expect(refused).toContainText('和解');
  await look(page, info, 'court-1-refused');

  // The corrected file: each row recorded on its case.
  await page.getByTestId('court-file').setInputFiles({
    name: '法院导出-11月.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`\ufeff${header}${numbers[0]},(2026)蒙0626民诉前调11号,调解成功\r\n${numbers[1]},(2026)蒙0626民诉前调12号,司法确认\r\n${numbers[2]},(2026)蒙0626民诉前调13号,调解不成\r\n`),
  });
  const rows = page.getByTestId('court-rows');
  await expect(rows.locator('.ant-table-row')).toHaveCount(3);
  await expect(rows.getByText('已登记')).toHaveCount(3);
  await expect(rows).toContainText('调解成功并司法确认');
  await expect(page.getByTestId('court-imports')).toContainText('法院导出-11月.csv');
  await expect(page.getByTestId('court-concluded')).toContainText(/法院已出结果\s*[1-9]/);
  await look(page, info, 'court-2-imported');

  // The case itself went on to its closing step, the court's result in its timeline.
  await rows.getByRole('link', { name: numbers[1] }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${numbers[1]}$`));
  await expect(page.getByRole('cell', { name: '结案回访' }).first()).toBeVisible();
  await expect(page.getByText('调解成功并司法确认').first()).toBeVisible();

  // The banner's supervisor enters the court's count of new civil and commercial cases this
  // month: the share is the referrals over it.
  await page.getByRole('button', { name: '退出' }).click();
  await signIn(page, 'supervisor-banner');
  await page.goto('/court');
  await expect(page.getByTestId('court-import')).toHaveCount(0);
  await page.getByTestId('court-intake').getByLabel('新收民商事案件数').fill('200');
  await page.getByTestId('court-intake').getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByTestId('court-intake').locator('.ant-table-row').first()).toContainText('200');
  await expect(page.getByTestId('court-civil')).toContainText('200');
  await expect(page.getByTestId('court-share')).toContainText('%');
  await look(page, info, 'court-3-intake');
});
