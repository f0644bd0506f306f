import { expect, test } from '@playwright/test';
import { complete, look, sampleJPEG, samplePDF } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

test('a village clerk registers a mediation with its procedure’s form, bad phone and ID numbers shown under their fields, and closes it on the spot', async ({ page }, info) => {
  await page.goto('/signin');
  await page.getByTestId('signin-clerk-sarula').click();
  await expect(page).toHaveURL(/\/queue$/);
  await page.getByRole('menuitem', { name: '登记' }).click();
  await expect(page).toHaveURL(/\/register$/);

  await page.getByLabel('办理流程').click();
  // antd draws its own options. The built-in procedure by its exact name: the studio journey,
  // running alongside, publishes copies named 人民调解（studio_…）.
  await page.locator('.ant-select-item-option[title="人民调解"]').click();
  await page.getByLabel('当事人', { exact: true }).fill('巴特尔');
  await page.getByLabel('事由').fill(`草场边界纠纷（登记 ${info.project.name}）`);
  // The procedure's form, generated from its definition.
  await page.getByLabel('申请人', { exact: true }).fill('巴特尔');
  await page.getByLabel('联系电话').fill('12');
  await page.getByLabel('身份证号').fill('110105194912310021');
  await expect(page.getByText('电话号码不正确')).toBeVisible();
  await expect(page.getByText('身份证号不正确')).toBeVisible();
  await look(page, info, '10-register-problems');

  await page.getByLabel('联系电话').fill('13800138000');
  await page.getByLabel('身份证号').fill('11010519491231002X');
  await expect(page.getByText('电话号码不正确')).toBeHidden();
  await expect(page.getByText('身份证号不正确')).toBeHidden();
  await page.getByLabel('对方当事人').fill('其木格');
  // The first option by the keyboard: a click could land on the procedure list's dropdown,
  // still fading out on a slow machine.
  await page.getByLabel('纠纷类型').click();
  await page.getByLabel('纠纷类型').press('Enter');
  await expect(page.locator('.ant-form-item', { hasText: '纠纷类型' })).toContainText('邻里纠纷');
  await page.getByLabel('纠纷事实').fill('两户草场边界不清，多次争执，请求调解。');

  // The resident's papers go with the registration: an application and a photo, and a "photo"
  // that is a program.
  await page.getByTestId('register-upload').locator('input[type=file]').setInputFiles([
    { name: '调解申请书.pdf', mimeType: 'application/pdf', buffer: samplePDF },
    { name: '草场界桩.jpg', mimeType: 'image/jpeg', buffer: sampleJPEG },
    { name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00this program cannot be run in DOS mode') },
  ]);
  await expect(page.locator('.ant-upload-list-item', { hasText: '调解申请书.pdf' })).toBeVisible();

  // A double click registers one case: the form's Idempotency-Key.
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/v1/cases')) posts.push(r.headers()['idempotency-key'] ?? '');
  });
  await page.getByRole('button', { name: /登\s*记/ }).last().dblclick();
  const number = page.getByTestId('new-number');
  await expect(number).toHaveText(/^WS-MED-\d{4}-\d{6}$/);
  expect(posts.length).toBeGreaterThan(0);
  expect(new Set(posts).size).toBe(1);
  expect(posts[0]).toMatch(/^[0-9a-f-]{36}$/);
  // The application and the photo are on the case; the program was refused, and the clerk is told so.
  const papers = page.getByTestId('register-papers');
  await expect(papers).toContainText('已上传附件 2 份');
  await expect(papers).toContainText('现场照片.jpg 未上传');
  await look(page, info, '11-registered');
  const n = (await number.textContent()) ?? '';

  // The 受理回执: drawn on the page, the print dialog opened, and on paper the receipt alone.
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void (window as unknown as { printed: number }).printed++;
  });
  await page.getByTestId('print-receipt').click();
  const receipt = page.getByTestId('receipt');
  await expect(receipt.getByTestId('receipt-number')).toHaveText(n);
  await expect(receipt).toContainText('人民调解');
  await expect(receipt).toContainText('巴特尔');
  await expect(receipt).toContainText('纠纷登记');
  await expect(receipt).toContainText('经办人（签字）');
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('menuitem', { name: '登记' })).toBeHidden(); // the menu is not printed
  await expect(receipt.getByTestId('receipt-number')).toBeVisible();
  await page.screenshot({ path: `test-results/screenshots/${info.project.name}/11-receipt-print.png`, fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await look(page, info, '11-receipt');

  await page.getByRole('button', { name: '查看案件' }).click();
  await expect(page.getByRole('heading', { name: `案件 ${n}` })).toBeVisible();
  await expect(page.getByRole('button', { name: '下载 调解申请书.pdf' })).toBeVisible();
  await expect(page.getByRole('button', { name: '下载 草场界桩.jpg' })).toBeVisible();

  // A neighbours' dispute is the village's to settle at once (即知即调): the clerk closes it on the spot.
  const summary = page.getByTestId('summary');
  await complete(page, '即知即调、当场调结');
  await expect(summary).toContainText('结案回访');
  await complete(page, '结案');
  await expect(summary).toContainText('已办结');
  await expect(page.getByTestId('action-complete')).toHaveCount(0);
  // Registered, the two papers added (once each, though the button was clicked twice), settled, closed.
  await expect(page.getByTestId('timeline-entry')).toHaveCount(5);
  await expect(page.getByTestId('timeline-entry').nth(1)).toContainText('调解申请书.pdf');
  await expect(page.getByTestId('timeline-entry').nth(2)).toContainText('草场界桩.jpg');
  await expect(page.getByTestId('timeline-entry').nth(3)).toContainText('即知即调、当场调结');

  // Closed: the clerk hands the resident the rating link as a QR code to scan at the window.
  await page.getByTestId('rating-link').click();
  const link = page.getByTestId('rating-link-dialog');
  await expect(link.locator('canvas')).toBeVisible();
  const url = (await page.getByTestId('rating-link-url').innerText()).trim();
  expect(url).toMatch(/\/rate\/[A-Za-z0-9_-]{20,}$/);
  await look(page, info, '12-rating-link');
  await page.goto(url);
  await expect(page.getByText(n)).toBeVisible();
});
