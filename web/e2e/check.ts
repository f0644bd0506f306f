import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

/**
 * look takes a full-page screenshot of the page (test-results/screenshots/<size>/<name>.png,
 * to be looked at) and checks it with axe: no serious or critical accessibility violation.
 */
export async function look(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const shot = await page.screenshot({ path: `test-results/screenshots/${info.project.name}/${name}.png`, fullPage: true });
  await info.attach(name, { body: shot, contentType: 'image/png' });
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  expect(bad, `accessibility of ${name}`).toEqual([]);
}
