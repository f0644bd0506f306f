import { expect, test, type APIRequestContext, type Locator } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

/**
 * The year each screen size enters a notice for, since both run against one center at once: a
 * notice in force counts for every spec, so each deletes its own at the end (and one a failed
 * run left, first). due is 3 working days from the 30 December before, without and with the
 * notice's New Year's Day (the 1st to the 3rd of January).
 */
const plans = {
  '1366x768': {
    year: 2027, newYear: ['2027-01-01', '2027-01-03'], spring: ['2027-02-06', '2027-02-13'],
    weekday: '2027-02-03', saturday: '2027-02-20',
    // From Wed 30 Dec: Thu 31 Dec, then Fri 1 Jan and Mon 4 Jan on weekends only; Mon 4 and Tue 5 Jan with the notice.
    due: { from: '2026-12-30', before: '2027-01-04', after: '2027-01-05' },
  },
  '1920x1080': {
    year: 2028, newYear: ['2028-01-01', '2028-01-03'], spring: ['2028-01-25', '2028-02-01'],
    weekday: '2028-02-02', saturday: '2028-02-05',
    // From Thu 30 Dec: Fri 31 Dec, then Mon 3 and Tue 4 Jan on weekends only; Tue 4 and Wed 5 Jan with the notice.
    due: { from: '2027-12-30', before: '2028-01-04', after: '2028-01-05' },
  },
} as const;

async function lastDay(request: APIRequestContext, token: string, from: string): Promise<string> {
  const r = await request.get('/v1/calendar/due', { params: { from, amount: 3, unit: 'workdays' }, headers: { Authorization: `Bearer ${token}` } });
  expect(r.ok(), await r.text()).toBeTruthy();
  return ((await r.json()) as { last_day: string }).last_day;
}

async function deleteNotice(request: APIRequestContext, token: string, year: number) {
  const r = await request.delete(`/v1/calendar/notices/${year}`, { headers: { Authorization: `Bearer ${token}` } });
  expect([204, 404], await r.text()).toContain(r.status());
}

/** pick types a date into an antd date picker and takes it. */
async function pick(input: Locator, date: string) {
  await input.fill(date);
  await input.press('Enter');
  await expect(input).toHaveValue(date);
}

test("the city's administrator enters a year's holiday notice, fixes the line the server refuses, and deadlines count with it at once", async ({ page, request, browser }, info) => {
  const p = plans[info.project.name as keyof typeof plans];
  const admin = await tokenOf(request, 'admin');
  await deleteNotice(request, admin, p.year);
  const before = await lastDay(request, admin, p.due.from);
  expect(before).toBe(p.due.before);

  try {
    await signIn(page, 'admin');
    await page.getByRole('menuitem', { name: '工作日历' }).click();
    await expect(page.getByRole('heading', { name: '工作日历' })).toBeVisible();
    for (let y = new Date().getFullYear(); y < p.year; y++) await page.getByRole('button', { name: '下一年' }).click();
    await expect(page).toHaveURL(new RegExp(`/calendar\\?year=${p.year}$`));
    const missing = page.getByTestId('notice-missing');
    await expect(missing).toContainText(`尚未录入${p.year}年的国务院节假日安排通知，该年期限只按周末计算`);
    await expect(page.locator(`[data-date="${p.newYear[0]}"]`)).not.toHaveAttribute('data-kind', 'holiday');

    await missing.getByRole('button', { name: '录入通知' }).click();
    const form = page.getByRole('dialog', { name: `${p.year}年节假日安排通知` });
    await expect(form).toBeVisible();
    await form.getByTestId('notice-title').fill(`国务院办公厅关于${p.year}年部分节假日安排的通知`);
    await pick(form.getByTestId('notice-issued'), `${p.year - 1}-11-10`);
    const row = async (i: number, from: string, to: string, name: string, makeup = false) => {
      if (i > 0) await form.getByRole('button', { name: '添加一行' }).click();
      await pick(form.getByLabel(`第${i + 1}行 起始日期`), from);
      if (to) await pick(form.getByLabel(`第${i + 1}行 结束日期`), to);
      await form.getByLabel(`第${i + 1}行 名称`).fill(name);
      if (makeup) await form.getByRole('switch', { name: `第${i + 1}行 调休上班` }).click();
    };
    await row(0, p.newYear[0], p.newYear[1], '元旦');
    await row(1, p.spring[0], p.spring[1], '春节');
    // A make-up working day on a Wednesday: the server refuses that day, and the form says so at its line.
    await row(2, p.weekday, '', '春节调休上班', true);
    await expect(form.getByTestId('notice-row-1')).toContainText('共8天');
    await form.getByRole('button', { name: '保存通知' }).click();
    await expect(form.getByTestId('notice-row-2-problem')).toContainText('调休上班日须为周六或周日');
    await expect(form.getByTestId('notice-row-1-problem')).toHaveCount(0);
    await expect(form.getByTestId('notice-refused')).toBeVisible();

    await pick(form.getByLabel('第3行 起始日期'), p.saturday);
    await expect(form.getByTestId('notice-row-2-problem')).toHaveCount(0);
    await form.getByRole('button', { name: '保存通知' }).click();
    await expect(form).toBeHidden();
    await expect(page.getByText(`已保存${p.year}年的通知`)).toBeVisible();
    await expect(page.getByTestId('notice-title-shown')).toHaveText(`国务院办公厅关于${p.year}年部分节假日安排的通知`);
    await expect(page.getByTestId('notice-entered')).toContainText('admin');

    // The year view colours the notice's days.
    const day = (d: string) => page.locator(`[data-date="${d}"]`);
    await expect(day(p.newYear[0])).toHaveAttribute('data-kind', 'holiday');
    await expect(day(p.newYear[0])).toHaveAttribute('title', /元旦/);
    await expect(day(p.spring[1])).toHaveAttribute('data-kind', 'holiday');
    await expect(day(p.saturday)).toHaveAttribute('data-kind', 'makeup');
    await expect(day(p.weekday)).toHaveAttribute('data-kind', 'workday');
    await look(page, info, '70-calendar');

    // Deadlines count with it at once.
    expect(await lastDay(request, admin, p.due.from)).toBe(p.due.after);

    // Deleting it (after a confirmation) brings the warning back, and the deadline with it.
    await page.getByRole('button', { name: '删除通知' }).click();
    await page.getByRole('dialog', { name: `删除${p.year}年的节假日安排通知？` }).getByRole('button', { name: '删除通知' }).click();
    await expect(missing).toBeVisible();
    expect(await lastDay(request, admin, p.due.from)).toBe(before);
  } finally {
    await deleteNotice(request, admin, p.year);
  }

  // A county's administrator reads the notices and enters none: in a browser of their own, no sign-out needed.
  const county = await browser.newContext({ baseURL: process.env.ONEDOOR_URL });
  const wushen = await county.newPage();
  await signIn(wushen, 'admin-wushen');
  await wushen.getByRole('menuitem', { name: '工作日历' }).click();
  await expect(wushen.getByTestId('notice-title-shown')).toContainText(`${new Date().getFullYear()}年`);
  await expect(wushen.getByRole('button', { name: '修改通知' })).toHaveCount(0);
  await expect(wushen.getByRole('button', { name: '删除通知' })).toHaveCount(0);
  await wushen.goto(`/calendar?year=${p.year}`);
  await expect(wushen.getByTestId('notice-missing')).toContainText(`尚未录入${p.year}年`);
  await expect(wushen.getByRole('button', { name: '录入通知' })).toHaveCount(0);
  await county.close();
});
