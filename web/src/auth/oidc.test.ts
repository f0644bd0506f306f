import { describe, expect, it } from 'vitest';
import { expiry } from './oidc';

describe('expiry', () => {
  it('is the exp of a JWT access token, in milliseconds', () => {
    const payload = btoa(JSON.stringify({ sub: 'clerk-sarula', exp: 1_800_000_000 })).replace(/=+$/, '');
    expect(expiry(`e30.${payload}.sig`)).toBe(1_800_000_000_000);
  });
  it('is unknown for a token that is no JWT', () => {
    expect(expiry('opaque')).toBeUndefined();
    expect(expiry('a.!!!.c')).toBeUndefined();
  });
});
