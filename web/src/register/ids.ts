/**
 * newKey is a random UUID for an Idempotency-Key. crypto.randomUUID exists from Chromium 92; the
 * offices' Chromium 87 gets one made from crypto.getRandomValues (there since Chromium 11).
 */
export function newKey(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checks = '10X98765432';

/** residentIdOK checks an 18-character resident ID number: its date of birth and its check character (GB 11643, ISO 7064 MOD 11-2). */
export function residentIdOK(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const y = +id.slice(6, 10), m = +id.slice(10, 12), d = +id.slice(12, 14);
  const born = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d || born.getTime() > Date.now()) return false;
  const sum = weights.reduce((n, w, i) => n + w * +id[i]!, 0);
  return checks[sum % 11] === id[17]!.toUpperCase();
}

/** phoneOK accepts a mobile number (11 digits from 13 to 19, optional +86) or a landline with its area code. */
export function phoneOK(p: string): boolean {
  const s = p.replace(/[\s-]/g, '');
  return /^(\+?86)?1[3-9]\d{9}$/.test(s) || /^0\d{2,3}\d{7,8}$/.test(s);
}
