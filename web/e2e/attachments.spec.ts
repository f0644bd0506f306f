import { expect, test } from '@playwright/test';
import { look, samplePDF as letter, signIn } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

test('a clerk attaches a petition letter on the case page and sees it listed and in the timeline', async ({ page, request }, info) => {
  const token = await signIn(page, 'clerk-galutu');
  const r = await request.post('/v1/cases', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      matter: 'petition', channel: 'letter', subject: `草场边界纠纷来信（附件 ${info.project.name}）`, resident_name: '张三',
      data: { petitioner: '张三', phone: '13800138000', channel: 'letter', category: 'request', topic: 'land', people: 1, facts: '邻居占用草场。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const k = (await r.json()) as { id: string; number: string };

  await page.goto(`/cases/${k.id}`);
  const section = page.getByTestId('attachments-section');
  await expect(section).toContainText('暂无附件');
  await section.locator('input[type=file]').setInputFiles({ name: '信访信.pdf', mimeType: 'application/pdf', buffer: letter });
  const list = page.getByTestId('attachments');
  await expect(list).toContainText('信访信.pdf');
  await expect(list).toContainText(/\d+ B/);
  await expect(page.getByTestId('timeline')).toContainText('添加附件');
  await look(page, info, 'attachments-case-page');

  // The link downloads the same bytes with the session's token.
  const download = page.waitForEvent('download');
  await list.getByRole('button', { name: '下载 信访信.pdf' }).click();
  expect((await download).suggestedFilename()).toBe('信访信.pdf');

  // A better scan replaces it; then the clerk deletes that one, saying why. Neither is lost: both
  // are listed with the deleted ones, and the timeline has each step.
  await list.getByRole('button', { name: '替换 信访信.pdf' }).locator('xpath=ancestor::span[contains(@class, "ant-upload")]').locator('input[type=file]')
    .setInputFiles({ name: '信访信（清晰版）.pdf', mimeType: 'application/pdf', buffer: letter });
  await expect(page.getByText('已替换为：信访信（清晰版）.pdf')).toBeVisible();
  await expect(list).toContainText('信访信（清晰版）.pdf');
  await expect(list.getByRole('button', { name: '下载 信访信.pdf' })).toHaveCount(0);
  await list.getByRole('button', { name: '删除 信访信（清晰版）.pdf' }).click();
  const dialog = page.getByRole('dialog', { name: '删除附件 信访信（清晰版）.pdf' });
  await dialog.getByLabel('删除原因（记入时间线）').fill('与本案无关，误传');
  await look(page, info, 'attachments-delete-dialog');
  await dialog.getByRole('button', { name: /删\s*除/ }).click();
  await expect(dialog).toBeHidden();
  await expect(list).toContainText('暂无附件');
  await expect(page.getByTestId('timeline-entry').filter({ hasText: '添加附件' })).toHaveCount(2);
  await expect(page.getByTestId('timeline-entry').filter({ hasText: '删除附件' })).toHaveCount(1);
  await expect(page.getByTestId('timeline')).toContainText('与本案无关，误传');
  await section.getByLabel('显示已删除和已替换的附件').check();
  await expect(list.getByTestId('attachment-gone')).toHaveCount(2);
  await expect(list.getByTestId('attachment-gone').first()).toContainText('已被替换');
  await expect(list.getByTestId('attachment-gone').last()).toContainText('已删除');
  await expect(list.getByTestId('attachment-delete')).toHaveCount(0);
  await look(page, info, 'attachments-deleted');
});
