import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { look, signIn } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

test('a clerk downloads an accepted mediation’s papers from 文书; the agreement waits for its terms', async ({ page, request }, info) => {
  const token = await signIn(page, 'clerk-sarula');
  const auth = { Authorization: `Bearer ${token}` };
  const r = await request.post('/v1/cases', {
    headers: auth,
    data: {
      matter: 'mediation', channel: 'visit', subject: `邻里漏水纠纷（文书 ${info.project.name}）`, resident_name: '巴特尔',
      data: { applicant: '巴特尔', phone: '13800138000', respondent: '其木格', dispute_type: 'neighbour', facts: '楼上卫生间漏水，损坏楼下吊顶。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const k = (await r.json()) as { id: string; number: string };
  for (const outcome of ['register', 'accept']) {
    const a = await request.post(`/v1/cases/${k.id}/actions`, { headers: auth, data: { type: 'complete', outcome } });
    expect(a.ok(), await a.text()).toBeTruthy();
  }

  await page.goto(`/cases/${k.id}`);
  await expect(page.getByRole('heading', { name: `案件 ${k.number}` })).toBeVisible();
  await page.getByTestId('documents').click();
  await expect(page.getByTestId('document-acceptance-notice')).toHaveText('受理通知书');
  await expect(page.getByTestId('document-mediation-agreement')).toContainText('没有调解协议');
  await expect(page.getByTestId('document-mediation-agreement')).toHaveAttribute('aria-disabled', 'true');
  await look(page, info, '10-case-documents');

  const download = page.waitForEvent('download');
  await page.getByTestId('document-acceptance-notice').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`受理告知书-${k.number}.pdf`);
  const path = await file.path();
  expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
});
