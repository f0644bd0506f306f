import { describe, expect, it } from 'vitest';
import { newKey, phoneOK, residentIdOK } from './ids';

describe('register form checks', () => {
  it('checks a resident ID number’s birth date and check character', () => {
    expect(residentIdOK('11010519491231002X')).toBe(true);
    expect(residentIdOK('11010519491231002x')).toBe(true);
    expect(residentIdOK('110105194912310021')).toBe(false); // wrong check character
    expect(residentIdOK('110105194902300026')).toBe(false); // 30 February
    expect(residentIdOK('1101051949123100')).toBe(false);
  });

  it('accepts mobile and landline numbers', () => {
    expect(phoneOK('13800138000')).toBe(true);
    expect(phoneOK('+86 138 0013 8000')).toBe(true);
    expect(phoneOK('0477-8123456')).toBe(true);
    expect(phoneOK('12')).toBe(false);
    expect(phoneOK('12800138000')).toBe(false);
  });

  it('makes an idempotency key without crypto.randomUUID, as Chromium 87 must', () => {
    const c = globalThis.crypto as { randomUUID?: unknown };
    const saved = c.randomUUID;
    Object.defineProperty(c, 'randomUUID', { value: undefined, configurable: true });
    try {
      const a = newKey();
      expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(newKey()).not.toBe(a);
    } finally {
      Object.defineProperty(c, 'randomUUID', { value: saved, configurable: true });
    }
  });
});
