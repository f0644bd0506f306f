import { expect, test } from '@playwright/test';
import { look } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

/** residentID is a random valid resident ID number: its check character computed (GB 11643). */
function residentID(): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const r = (n: number) => Math.floor(Math.random() * n);
  const base = `150627${1950 + r(50)}${pad(1 + r(12), 2)}${pad(1 + r(28), 2)}${pad(r(1000), 3)}`;
  const sum = [...base].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return base + '10X98765432'[sum % 11];
}

test('the resident comes again: the clerk registering the matter sees the open case and records the visit on it (重复访)', async ({ page }, info) => {
  const id = residentID();
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  await page.goto('/signin');
  await page.getByTestId('signin-clerk-sarula').click();
  await expect(page).toHaveURL(/\/queue$/);

  const fill = async (subject: string) => {
    await page.goto('/register');
    await page.getByLabel('办理流程').click();
    await page.locator('.ant-select-item-option[title="人民调解"]').click();
    await page.getByLabel('当事人', { exact: true }).fill('乌云');
    await page.getByLabel('事由').fill(subject);
    await page.getByLabel('申请人', { exact: true }).fill('乌云');
    await page.getByLabel('联系电话').fill(phone);
    await page.getByLabel('身份证号').fill(id);
  };

  // The first visit: nobody with this number yet.
  await fill(`草场被邻户占用（${info.project.name}）`);
  await expect(page.getByTestId('resident-none')).toBeVisible();
  await page.getByLabel('对方当事人').fill('其木格');
  await page.getByLabel('纠纷类型').click();
  await page.getByLabel('纠纷类型').press('Enter');
  await page.getByLabel('纠纷事实').fill('邻户在草场上围栏，占用约二十亩。');
  await page.getByRole('button', { name: /登\s*记/ }).last().click();
  const number = (await page.getByTestId('new-number').textContent()) ?? '';
  expect(number).toMatch(/^WS-MED-\d{4}-\d{6}$/);

  // A week later she comes again about it. As the clerk types her ID number, the open case shows.
  await fill('再次反映草场被占');
  const found = page.getByTestId('resident-cases');
  await expect(found).toContainText('该群众在本辖区有 1 件事项');
  const row = page.getByTestId(`resident-case-${number}`);
  await expect(row).toContainText('办理中');
  await expect(row).toContainText('按身份证号、电话查到');
  await look(page, info, '60-resident-cases');

  // The clerk records the visit on it rather than registering the matter twice.
  await row.getByTestId('record-visit').click();
  await page.getByTestId('visit-reason').fill('第二次来访，围栏仍未拆除');
  await look(page, info, '61-record-visit');
  await page.getByRole('button', { name: '记录来访' }).click();
  await expect(page.getByText(`已记入 ${number}，累计来访 2 次`)).toBeVisible();
  await expect(row).toContainText('来访 2 次');

  // The case shows the visit in its timeline.
  await page.goto(`/cases/${number}`);
  await expect(page.getByTestId('summary')).toContainText('来访 · 来访 2 次（重复访）');
  await expect(page.getByTestId('timeline-entry').last()).toContainText('重复访');
  await expect(page.getByTestId('timeline-entry').last()).toContainText('围栏仍未拆除');
  await look(page, info, '62-visit-timeline');

  // Her neighbour came with her: the clerk adds him to the case (集体访); his number then finds it.
  const neighbour = `139${String(Date.now() % 100000000).padStart(8, '0')}`;
  await page.getByTestId('add-resident').click();
  const join = page.getByTestId('join-form');
  await join.getByLabel('姓名').fill('巴图');
  await join.getByLabel('电话').fill(neighbour);
  await join.getByLabel('说明').fill('邻户，草场同被围占');
  await page.getByRole('button', { name: /增\s*加/ }).last().click();
  await expect(join).toHaveCount(0);
  await expect(page.getByTestId('residents')).toContainText('及 巴图（集体访，共 2 人）');
  await expect(page.getByTestId('timeline-entry').last()).toContainText('集体访：巴图一同反映（共 2 人）');
  await look(page, info, '63-group-matter');
  await page.goto('/register');
  await page.getByLabel('办理流程').click();
  await page.locator('.ant-select-item-option[title="人民调解"]').click();
  await page.getByLabel('联系电话').fill(neighbour);
  await expect(page.getByTestId(`resident-case-${number}`)).toContainText('按电话查到');
});
