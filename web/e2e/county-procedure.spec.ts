import { expect, test } from '@playwright/test';
import { look, signIn, tokenOf } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

// A county's administrator publishes a procedure of the county's own, copied from a template: the
// templates are read only in the studio for them, the new procedure is owned by their county, and
// its clerks register on it while the other county's do not see it. Each screen size works in a
// county of its own (Wushen at 1366, Otog Front at 1920), since both run against one center.
test("a county administrator publishes the county's own procedure; only the county's clerks register on it", async ({ page, request }, info) => {
  const wide = info.project.name !== '1366x768';
  const [admin, county, clerk, other] = wide
    ? ['admin-otog', '鄂托克前旗', 'clerk-chengchuan', 'clerk-galutu']
    : ['admin-wushen', '乌审旗', 'clerk-galutu', 'clerk-chengchuan'];
  const key = `own_${wide ? 'etq' : 'ws'}_${Date.now().toString(36)}`;
  const name = `${county}草场纠纷咨询`;

  await signIn(page, admin);
  await page.getByRole('menuitem', { name: '流程管理' }).click();
  await expect(page).toHaveURL(/\/studio$/);
  const consultation = page.getByTestId('procedures').locator('.ant-table-row', { hasText: 'consultation' }).first();
  await expect(consultation).toContainText('共用模板');

  // The template is the city's: read only here, adjusted in 流程调整.
  await consultation.getByRole('link', { name: '法律咨询' }).click();
  await expect(page.getByTestId('not-editable')).toContainText('各旗县共用的流程模板');
  await expect(page.getByTestId('new-draft')).toHaveCount(0);
  await expect(page.getByTestId('retire')).toHaveCount(0);
  await page.getByRole('link', { name: '返回流程列表' }).click();

  // A new procedure, copied from the legal consultation.
  await page.getByTestId('new-procedure').click();
  await page.getByTestId('new-key').fill('Bad key');
  await page.getByTestId('new-name').fill(name);
  await page.getByRole('button', { name: /^新\s*建$/ }).click();
  await expect(page.locator('.ant-form-item-explain-error', { hasText: '流程代码的格式不对' })).toBeVisible();
  await page.getByTestId('new-key').fill(key);
  await page.getByTestId('new-from').click();
  await page.locator('.ant-select-item-option', { hasText: '（consultation）' }).click();
  await look(page, info, '65-own-new');
  await page.getByRole('button', { name: /^新\s*建$/ }).click();
  await expect(page).toHaveURL(new RegExp(`/studio/${key}/1$`));
  await expect(page.getByRole('heading', { name: `${name} · 第1版` })).toBeVisible();
  await expect(page.getByTestId('check-state')).toContainText('没有问题');
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('diff')).toContainText('第一个发布版本');
  await page.getByRole('button', { name: '确认发布' }).click();
  await expect(page.getByTestId('retire')).toBeVisible();
  await page.getByRole('link', { name: '返回流程列表' }).click();
  const own = page.getByTestId('procedures').locator('.ant-table-row', { hasText: key });
  await expect(own).toContainText(county);
  await expect(own).toContainText('已发布');
  await look(page, info, '66-own-list');

  // The other county's clerk does not see it; this county's registers on it.
  const otherToken = await tokenOf(request, other);
  const theirs = await request.get('/v1/procedures', { headers: { Authorization: `Bearer ${otherToken}` } });
  expect(theirs.ok()).toBeTruthy();
  expect(((await theirs.json()) as { procedures: { key: string }[] }).procedures.map((p) => p.key)).not.toContain(key);

  await page.getByRole('button', { name: '退出' }).click();
  await signIn(page, clerk);
  await page.getByRole('menuitem', { name: '登记' }).click();
  await page.getByLabel('办理流程').click();
  await page.locator(`.ant-select-item-option[title="${name}"]`).click();
  await page.getByLabel('当事人', { exact: true }).fill('乌云');
  await page.getByLabel('事由').fill(`草场承包期满续包（${info.project.name}）`);
  await page.getByLabel('咨询人').fill('乌云');
  await page.getByLabel('咨询领域').click();
  await page.locator('.ant-select-item-option', { hasText: '土地草场' }).click();
  await page.getByLabel('咨询问题').fill('草场承包期满后如何续包？');
  await page.getByRole('button', { name: /^登\s*记$/ }).click();
  await expect(page.getByTestId('new-number')).toHaveText(wide ? /^ETQ-/ : /^WS-/);
  await look(page, info, '67-own-registered');
});
