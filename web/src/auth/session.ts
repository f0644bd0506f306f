import { useSyncExternalStore } from 'react';
import type { components } from '../api/schema';

export type Profile = components['schemas']['Profile'];

/** Session is who is signed in and the bearer token that proves it. */
export interface Session {
  token: string;
  expiresAt: string;
  user: Profile;
  /**
   * post is the post a user of several posts chose to work in (its key, as OneDoor-Post names
   * it); absent, the server takes every post for the queue and the first for the rest.
   */
  post?: string;
  /**
   * oidc is the provider the user signed in at (absent for a demo user): sign-out ends the
   * provider's session too, with the ID token as its hint.
   */
  oidc?: { issuer: string; client_id: string; scope: string; idToken?: string };
}

// The token lives in memory and in sessionStorage, so it survives a reload of this tab but not
// the tab: never localStorage, where every tab and every later visitor of the machine would find it.
const KEY = 'onedoor.session';

let current: Session | null = load();
const listeners = new Set<() => void>();
// The session ends when its token does: no silent renewal, one rule for demo and provider tokens.
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
endAtExpiry();

function endAtExpiry(): void {
  clearTimeout(expiryTimer);
  if (!current) return;
  // setTimeout fires at once beyond 2^31-1 ms (24.8 days): a longer token is checked again then.
  expiryTimer = setTimeout(() => {
    if (current && new Date(current.expiresAt).getTime() <= Date.now()) signOut();
    else endAtExpiry();
  }, Math.min(Math.max(new Date(current.expiresAt).getTime() - Date.now(), 0), 2 ** 31 - 1));
}

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return new Date(s.expiresAt).getTime() > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function emit(): void {
  for (const l of listeners) l();
}

export function getSession(): Session | null {
  return current;
}

export function signIn(s: Session): void {
  current = s;
  try {
    sessionStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // storage refused: the session lasts until the page reloads
  }
  endAtExpiry();
  emit();
}

/** choosePost makes every later request act in the post (its key), or in all posts when undefined. */
export function choosePost(post: string | undefined): void {
  if (!current) return;
  const { post: _, ...rest } = current;
  signIn(post ? { ...rest, post } : rest);
}

export function signOut(): void {
  current = null;
  clearTimeout(expiryTimer);
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
  emit();
}

/**
 * signOutEverywhere ends the session here and, for a user who signed in at the organisation's
 * provider, there too when the provider has an end-session endpoint (the browser then leaves for
 * it and comes back to /signin). Resolves true when the browser is leaving.
 */
export async function signOutEverywhere(): Promise<boolean> {
  const oidc = current?.oidc;
  signOut();
  if (!oidc) return false;
  try {
    const { endProviderSession } = await import('./oidc');
    return await endProviderSession(oidc, oidc.idToken);
  } catch {
    return false; // signed out here; the provider's session ends with its own timeout
  }
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** useSession is the signed-in session, or null; components re-render when it changes. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, getSession);
}
