// OpenID Connect sign-in at the organisation's provider: authorization code with PKCE (S256),
// the workbench a public client without a secret. This module and oidc-client-ts load only when
// a sign-in, its callback or a sign-out needs them (a chunk of their own), so that the pages'
// first load does not carry them.
import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { components } from '../api/schema';

export type OIDCConfig = components['schemas']['OIDCConfig'];

/** The path the provider sends the browser back to, with the code. */
export const callbackPath = '/signin/callback';

function manager(c: OIDCConfig): UserManager {
  return new UserManager({
    authority: c.issuer,
    client_id: c.client_id,
    scope: c.scope,
    response_type: 'code', // PKCE (S256) is oidc-client-ts's default for the code flow
    redirect_uri: window.location.origin + callbackPath,
    post_logout_redirect_uri: window.location.origin + '/signin',
    // The state and PKCE verifier must outlive the trip to the provider and back, in this tab
    // only: sessionStorage, never localStorage (the library's default for them).
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // The library's user object stays in memory: session.ts keeps the token the API needs.
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    // No silent renewal: when the access token expires the session ends (session.ts) and the
    // clerk signs in again, one click while the provider's own session lasts.
    automaticSilentRenew: false,
    loadUserInfo: false,
  });
}

/** startSignIn sends the browser to the provider; it comes back to callbackPath. */
export async function startSignIn(c: OIDCConfig, from: string): Promise<void> {
  await manager(c).signinRedirect({ url_state: from });
}

/** Tokens is what a completed sign-in brings back. */
export interface Tokens {
  accessToken: string;
  idToken?: string;
  expiresAt: string;
  from: string;
}

/**
 * completeSignIn exchanges the code in the callback URL for tokens (with the PKCE verifier kept in
 * sessionStorage): once per URL, since the state is spent by the first exchange (React's strict
 * mode runs effects twice).
 */
export function completeSignIn(c: OIDCConfig): Promise<Tokens> {
  const url = window.location.href;
  if (pending?.url !== url) pending = { url, tokens: exchange(c, url) };
  return pending.tokens;
}

let pending: { url: string; tokens: Promise<Tokens> } | undefined;

async function exchange(c: OIDCConfig, url: string): Promise<Tokens> {
  const u = await manager(c).signinRedirectCallback(url);
  return {
    accessToken: u.access_token,
    idToken: u.id_token,
    expiresAt: new Date(expiry(u.access_token) ?? (u.expires_at ?? 0) * 1000).toISOString(),
    from: u.url_state && u.url_state.startsWith('/') && !u.url_state.startsWith('//') ? u.url_state : '/queue',
  };
}

/** expiry is the exp of a JWT access token in milliseconds (what the API checks), if it is one. */
export function expiry(token: string): number | undefined {
  try {
    const part = token.split('.')[1];
    if (!part) return undefined;
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * endProviderSession ends the session at the provider too, when its discovery document names an
 * end_session_endpoint (the browser leaves for it and comes back to /signin); false when it has none.
 */
export async function endProviderSession(c: OIDCConfig, idToken: string | undefined): Promise<boolean> {
  const m = manager(c);
  const endpoint = await m.metadataService.getEndSessionEndpoint().catch(() => undefined);
  if (!endpoint) return false;
  await m.signoutRedirect({ id_token_hint: idToken });
  return true;
}
