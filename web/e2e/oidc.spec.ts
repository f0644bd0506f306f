import { expect, test } from '@playwright/test';
import { look } from './check';

test.use({ baseURL: process.env.ONEDOOR_URL });

// The center of e2e/center.ts accepts the tokens of a mock OpenID Connect provider on loopback
// (e2e/oidcprovider: it signs everyone in as clerk-sarula, and refuses an authorization request
// without a PKCE S256 challenge and a token request carrying a client secret).
test('a clerk signs in at the organisation provider by authorization code and PKCE, and out again', async ({ page, request }, info) => {
  const issuer = process.env.ONEDOOR_OIDC_ISSUER;
  expect(issuer, 'e2e/center.ts starts the mock provider').toBeTruthy();
  const config = (await (await request.get('/v1/auth/config')).json()) as { mode: string; oidc?: { issuer: string; client_id: string } };
  expect(config.oidc?.issuer).toBe(issuer);

  await page.goto('/cases');
  await expect(page).toHaveURL(/\/signin$/);
  const button = page.getByRole('button', { name: '统一身份认证登录' });
  await expect(button).toBeVisible();
  await look(page, info, 'oidc-1-signin');

  const authorize = page.waitForRequest((r) => r.url().startsWith(`${issuer}/authorize`));
  const exchanged = page.waitForResponse((r) => r.url() === `${issuer}/token`);
  await button.click();
  const url = new URL((await authorize).url());
  expect(url.searchParams.get('response_type')).toBe('code');
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('redirect_uri')).toBe(`${process.env.ONEDOOR_URL}/signin/callback`);
  const token = await exchanged;
  expect(token.status()).toBe(200);
  expect(token.request().postData()).toContain('code_verifier=');
  expect(token.request().postData()).not.toContain('client_secret');

  // Back where the clerk was going, signed in as the directory user the token names.
  await expect(page).toHaveURL(/\/cases$/);
  const me = page.getByTestId('whoami');
  await expect(me).toContainText('萨如拉社区调解员');
  await expect(me).toContainText('萨如拉社区');
  const stored = await page.evaluate(() => ({
    session: sessionStorage.getItem('onedoor.session') ?? '',
    local: JSON.stringify({ ...localStorage }),
  }));
  const session = JSON.parse(stored.session) as { token: string; oidc?: { issuer: string } };
  expect(session.oidc?.issuer).toBe(issuer);
  const claims = JSON.parse(Buffer.from(session.token.split('.')[1]!, 'base64url').toString()) as { iss: string; sub: string };
  expect(claims).toMatchObject({ iss: issuer, sub: 'clerk-sarula' });
  expect(stored.local).not.toContain(session.token); // never localStorage
  await look(page, info, 'oidc-2-signed-in');

  // The provider has no end-session endpoint: signing out ends the session here.
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect(await page.evaluate(() => sessionStorage.getItem('onedoor.session'))).toBeNull();
});

test('someone the provider signs in but the directory does not know is told so, and not signed in', async ({ page }, info) => {
  const issuer = process.env.ONEDOOR_OIDC_ISSUER!;
  // The mock provider signs in as the login_hint: a person of the organisation who is no OneDoor user.
  await page.route(`${issuer}/authorize?**`, (route) => route.continue({ url: `${route.request().url()}&login_hint=stranger` }));
  await page.goto('/signin');
  await page.getByRole('button', { name: '统一身份认证登录' }).click();
  await expect(page).toHaveURL(/\/signin\/callback\?/);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('统一身份认证已通过，但尚未在本系统开通');
  await expect(alert).toContainText('stranger');
  expect(await page.evaluate(() => sessionStorage.getItem('onedoor.session'))).toBeNull();
  await look(page, info, 'oidc-3-not-a-user');

  await page.getByRole('button', { name: '重新登录' }).click();
  await expect(page).toHaveURL(/\/signin$/);
});
