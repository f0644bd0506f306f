import { describe, expect, it } from 'vitest';
import { fmtDue } from './format';
// Times without an offset are the test machine's local time, as the browser's are the office's.

describe('due dates', () => {
  it('shows a period ending at midnight as 24:00 of its last day', () => {
    expect(fmtDue('2026-12-01T00:00:00')).toBe('2026-11-30 24:00');
    expect(fmtDue('2026-12-01T09:30:00')).toBe('2026-12-01 09:30');
    expect(fmtDue(undefined)).toBe('—');
  });
});
