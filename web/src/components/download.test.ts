import { describe, expect, it } from 'vitest';
import { toCSV } from './download';

describe('toCSV', () => {
  it('starts with a byte-order mark and quotes what needs it', () => {
    const s = toCSV(['周', '受理'], [['2026-W01', 3], ['a,"b"', 0]]);
    expect(s.charCodeAt(0)).toBe(0xfeff);
    expect(s.slice(1)).toBe('周,受理\r\n2026-W01,3\r\n"a,""b""",0\r\n');
  });
  it('defuses a cell that a spreadsheet would run as a formula, but not a negative number', () => {
    expect(toCSV(['x'], [['=1+1'], [-1]]).slice(1)).toBe("x\r\n'=1+1\r\n-1\r\n");
  });
});
