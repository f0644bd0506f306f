import { expect, test } from '@playwright/test';
import { look, signIn } from './check';

// A 12×12 PNG, what a phone's camera would give, smaller.
const fencePNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAwAAAAMCAIAAADZF8uwAAAA5ElEQVR4nBWQURVAUQQEhRBCCCGEEEIIIYQQYkII8+7zPcfujiCCCia4EEIKJbQwwgoI9whRVDHFlVBSKaWVUVZBufdDDDXMcCOMNMpoY4w1MO6liKOOOe6Ek0457YyzDs69HhJoYIEHEWRQQQcTbEBwr6kkmljiSSSZVNLJJJuQ3NsihRZWeBFFFlV0McUWFPfWSqONNd5Ek0013UyzDc09HzLoYIMPMeRQQw8z7MBwz5gsutjiSyy51NLLLLuw3HMqv7Cn4419U17RV+OFvBcP+O8eIocedvgRRx519DHH3o/cfSwk7EG+i7ToAAAAAElFTkSuQmCC',
  'base64',
);

// A grid worker's phone, in the grid, its location allowed.
test.use({
  baseURL: process.env.ONEDOOR_URL,
  viewport: { width: 390, height: 844 },
  geolocation: { latitude: 38.592134, longitude: 108.842311 },
  permissions: ['geolocation'],
});

test('a grid worker reports what they found on a phone: one settled on the spot, one reported up to the community', async ({ page }, info) => {
  await signIn(page, 'grid-sarula-w1');
  await page.goto('/grid');
  await expect(page.getByRole('heading', { name: '网格上报' })).toBeVisible();
  await expect(page.getByTestId('grid-unit')).toHaveText('萨如拉社区第1网格');

  // Nothing chosen: the form says what is missing, and registers nothing.
  await page.getByRole('button', { name: /登\s*记/ }).click();
  await expect(page.getByText('请填写事件类别')).toBeVisible();
  await expect(page.getByText('请填写事件描述')).toBeVisible();

  // A quarrel over a fence, settled on the spot.
  await page.getByText('事', { exact: true }).click();
  await page.getByLabel('事件描述').fill(`两户牧民因草场围栏边界争执，网格员到场调解（${info.project.name}）`);
  await page.getByLabel('当事人').fill('巴特尔');
  await page.getByLabel('联系电话').fill('1380013800');
  await page.getByTestId('grid-locate').click();
  await expect(page.getByText('纬度 38.592134，经度 108.842311')).toBeVisible();
  await page.getByRole('button', { name: /登\s*记/ }).click();
  await expect(page.getByText('不是有效的电话号码')).toBeVisible();
  await page.getByLabel('联系电话').fill('13800138000');
  // A photo of the fence, picked before registering: sent once the case exists.
  await page.getByTestId('grid-photos').locator('input[type=file]').setInputFiles({ name: '围栏.png', mimeType: 'image/png', buffer: fencePNG });
  await expect(page.getByTestId('grid-photos')).toContainText('围栏.png');
  await look(page, info, 'grid-1-form');
  // The first try of its upload is lost on the way: it shows as failed and is retried alone.
  let lose = true;
  await page.route('**/v1/cases/*/attachments', async (route) => {
    if (!lose) return route.continue();
    lose = false;
    return route.abort('connectionreset');
  });
  await page.getByRole('button', { name: /登\s*记/ }).click();

  const handle = page.getByTestId('grid-handle');
  await expect(handle).toContainText(/已登记 WS-GRID-\d{4}-\d+/);
  const number = /WS-GRID-\d{4}-\d+/.exec((await handle.textContent()) ?? '')![0];
  const photo = page.getByTestId('grid-photo');
  await expect(photo).toHaveAttribute('data-status', 'failed');
  await expect(photo).toContainText('上传失败');
  await photo.getByRole('button', { name: '重新上传 围栏.png' }).click();
  await expect(photo).toHaveAttribute('data-status', 'done');
  await expect(photo).toContainText('已上传');
  await page.unroute('**/v1/cases/*/attachments');
  await page.getByLabel('处置情况 / 上报理由').fill('双方同意按原界桩重新拉线，当场和解。');
  await look(page, info, 'grid-2-handle');
  await page.getByRole('button', { name: '就地化解、当场办结' }).click();
  const done = page.getByTestId('grid-done');
  await expect(done).toContainText('已就地办结');
  await expect(done).toContainText(number);
  await look(page, info, 'grid-3-settled');

  // The case page says so: closed, settled on the spot.
  await done.getByRole('link', { name: '查看案件' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${number}$`));
  await expect(page.getByText('已办结 · 已解决')).toBeVisible();
  // The photo is the case's, one attachment, which its grid's worker sees.
  await expect(page.getByTestId('attachments')).toContainText('围栏.png');
  await expect(page.getByTestId('attachments').getByRole('button', { name: /^下载/ })).toHaveCount(1);
  await look(page, info, 'grid-4-case-photo');

  // Another, beyond the grid: reported up to the community.
  await page.goto('/grid');
  await page.getByText('情', { exact: true }).click();
  await page.getByLabel('事件描述').fill(`多户居民反映小区供暖不热（${info.project.name}）`);
  await page.getByRole('button', { name: /登\s*记/ }).click();
  await expect(page.getByTestId('grid-handle')).toContainText('已登记');
  await page.getByLabel('处置情况 / 上报理由').fill('涉及供热公司，网格内无法解决。');
  await page.getByRole('button', { name: '上报嘎查村（社区）' }).click();
  await expect(page.getByTestId('grid-done')).toContainText('已上报 萨如拉社区');
});
