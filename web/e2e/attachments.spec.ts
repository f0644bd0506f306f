import { expect, test } from '@playwright/test';
import { look, signIn } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

/** signIn signs in as a demo user and returns the session's token. */
// The smallest well-formed PDF a scanner could have written: the server reads its type from these bytes.
const letter = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
);

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
});
