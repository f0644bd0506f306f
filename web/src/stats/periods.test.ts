import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { buckets, defaultPeriod, monday } from './periods';

describe('periods of the statistics', () => {
  it('starts weeks on Monday', () => {
    expect(monday(dayjs('2026-11-29')).format('YYYY-MM-DD')).toBe('2026-11-23'); // a Sunday
    expect(monday(dayjs('2026-11-23')).format('YYYY-MM-DD')).toBe('2026-11-23');
  });

  it('cuts a period into weeks, clipping the first and the last, every day once', () => {
    const { unit, periods } = buckets('2026-11-04', '2026-11-20');
    expect(unit).toBe('week');
    expect(periods.map((p) => [p.from, p.to])).toEqual([
      ['2026-11-04', '2026-11-08'],
      ['2026-11-09', '2026-11-15'],
      ['2026-11-16', '2026-11-20'],
    ]);
  });

  it('goes month by month when weeks would be too many', () => {
    const { unit, periods } = buckets('2026-01-15', '2026-12-03');
    expect(unit).toBe('month');
    expect(periods).toHaveLength(12);
    expect(periods[0]).toEqual({ from: '2026-01-15', to: '2026-01-31', label: '2026-01' });
    expect(periods[11]).toEqual({ from: '2026-12-01', to: '2026-12-03', label: '2026-12' });
  });

  it('offers the last twelve weeks by default', () => {
    const p = defaultPeriod(dayjs('2026-11-26'));
    expect(p).toEqual({ from: '2026-09-07', to: '2026-11-26' });
    expect(buckets(p.from, p.to).periods).toHaveLength(12);
  });
});
