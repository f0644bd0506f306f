import { expect, test } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

// 委派 and 收回委派: a town clerk hands a piece of the work to a colleague of the unit and takes it
// back before the result; the colleague alone is told of both, not the rest of the unit.
test('a town clerk delegates a piece of work to a colleague and takes it back; only the colleague is told', async ({ page, request }, info) => {
  const token = await signIn(page, 'clerk-galutu');
  const r = await request.post('/v1/cases', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      matter: 'petition', channel: 'visit', subject: `宅基地纠纷（委派 ${info.project.name}）`, resident_name: '张三',
      data: { petitioner: '张三', phone: '13800138000', channel: 'visit', category: 'request', topic: 'land', people: 1, facts: '邻居占用宅基地，多次协商未果。' },
    },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const k = (await r.json()) as { id: string; number: string };

  await page.goto(`/cases/${k.id}`);
  await page.getByTestId('action-delegate').click();
  const delegate = page.getByRole('dialog', { name: '委派' });
  await delegate.getByTestId('user-picker').click();
  await page.keyboard.type('司法所');
  await page.locator('.ant-select-item-option', { hasText: 'justice-galutu' }).click();
  await delegate.getByLabel('原因').fill('请核实宅基地证');
  await look(page, info, 'delegate-1-dialog');
  await delegate.getByRole('button', { name: /确\s*定/ }).click();
  await expect(page.getByTestId('action-recall')).toBeVisible();
  await expect(page.getByTestId('summary')).toContainText('已委派给 justice-galutu');
  // The step waits for the result: completing it is not offered meanwhile.
  await expect(page.getByTestId('action-complete')).toHaveCount(0);
  await look(page, info, 'delegate-2-delegated');

  await page.getByTestId('action-recall').click();
  const recall = page.getByRole('dialog', { name: '收回委派' });
  await recall.getByLabel('原因').fill('已自行核实');
  await recall.getByRole('button', { name: /确\s*定/ }).click();
  await expect(page.getByTestId('action-delegate')).toBeVisible();
  await expect(page.getByTestId('action-recall')).toHaveCount(0);
  await expect(page.getByTestId('action-complete')).toBeVisible();
  await expect(page.getByTestId('summary')).not.toContainText('已委派给');

  // The colleague alone heard of it; the unit's supervisor did not.
  const kinds = async (user: string) => {
    const res = await request.get('/v1/notifications?limit=200', { headers: { Authorization: `Bearer ${await tokenOf(request, user)}` } });
    expect(res.ok()).toBeTruthy();
    return ((await res.json()) as { items: { case_number: string; kind: string }[] }).items.filter((n) => n.case_number === k.number).map((n) => n.kind);
  };
  expect((await kinds('justice-galutu')).sort()).toEqual(['delegated', 'delegation_recalled']);
  expect(await kinds('supervisor-galutu')).toEqual([]);
});
