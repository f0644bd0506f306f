import { afterEach, describe, expect, it, vi } from 'vitest';
import { getSession, signIn, signOut } from './session';

const user = { id: 'clerk-sarula', name: '萨如拉社区调解员', role: 'clerk' } as Parameters<typeof signIn>[0]['user'];

describe('session', () => {
  afterEach(() => {
    signOut();
    vi.useRealTimers();
  });

  it('keeps the token in this tab (sessionStorage), never localStorage', () => {
    signIn({ token: 'tok-1', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), user });
    expect(getSession()?.token).toBe('tok-1');
    expect(sessionStorage.getItem('onedoor.session')).toContain('tok-1');
    expect(JSON.stringify({ ...localStorage })).not.toContain('tok-1');
    signOut();
    expect(sessionStorage.getItem('onedoor.session')).toBeNull();
  });

  it('ends when its token expires: no silent renewal', () => {
    vi.useFakeTimers();
    signIn({ token: 'tok-2', expiresAt: new Date(Date.now() + 60_000).toISOString(), user });
    vi.advanceTimersByTime(59_000);
    expect(getSession()?.token).toBe('tok-2');
    vi.advanceTimersByTime(1_000);
    expect(getSession()).toBeNull();
    expect(sessionStorage.getItem('onedoor.session')).toBeNull();
  });
});
