import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { calendarOf, isWorkingDay, timeLeft, workingDaysBetween } from './timeLeft';

const task = (due: string | undefined, extra: Partial<{ overdue: boolean; warned: boolean; suspended: boolean; warn_at: string }> = {}) => ({
  due_at: due,
  overdue: false,
  warned: false,
  suspended: false,
  ...extra,
});

// Thursday 2026-10-01 is National Day; 2026-10-10 (Saturday) is a make-up working day in this test.
const cal = calendarOf([
  { days: [{ date: '2026-10-01' }, { date: '2026-10-02' }, { date: '2026-10-10', workday: true }] },
]);

describe('workingDaysBetween', () => {
  it('skips weekends and holidays and counts make-up days', () => {
    // Mon 2026-09-28 → Mon 2026-10-12: 29, 30, (1, 2 holiday), 5..9, 10 (make-up), 12.
    expect(workingDaysBetween(dayjs('2026-09-28T10:00'), dayjs('2026-10-12T10:00'), cal)).toBe(9);
    expect(workingDaysBetween(dayjs('2026-11-27T10:00'), dayjs('2026-11-30T10:00'), cal)).toBe(1); // Fri → Mon
  });
});

describe('workingDaysBetween, by arithmetic', () => {
  // The day-by-day count it replaced, as the reference.
  const byDay = (a: dayjs.Dayjs, b: dayjs.Dayjs, c: typeof cal) => {
    let n = 0;
    for (let d = a.startOf('day').add(1, 'day'); !d.isAfter(b.startOf('day')); d = d.add(1, 'day')) if (isWorkingDay(d, c)) n++;
    return n;
  };
  it('agrees with counting day by day over random spans and calendars', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const base = dayjs('2024-01-01T10:00');
    for (let i = 0; i < 300; i++) {
      const days = Array.from({ length: rand(40) }, () => ({ date: base.add(rand(900), 'day').format('YYYY-MM-DD'), workday: rand(3) === 0 }));
      const c = calendarOf([{ days }]);
      const a = base.add(rand(900), 'day').add(rand(20), 'hour');
      const b = a.add(rand(400), 'day').add(rand(20), 'hour');
      expect(workingDaysBetween(a, b, c), `${a.format()} → ${b.format()}`).toBe(byDay(a, b, c));
    }
  });
  it('is zero for the same day or a day before', () => {
    expect(workingDaysBetween(dayjs('2026-11-26T09:00'), dayjs('2026-11-26T18:00'), cal)).toBe(0);
    expect(workingDaysBetween(dayjs('2026-11-26T09:00'), dayjs('2026-11-20T18:00'), cal)).toBe(0);
  });
});

describe('timeLeft', () => {
  const now = dayjs('2026-11-26T09:00'); // a Thursday
  it('counts working days to the due date', () => {
    expect(timeLeft(task('2026-12-03T17:00'), now, cal)).toEqual({ urgency: 'ok', key: 'days', count: 5 });
  });
  it('is due soon with one working day left or once warned', () => {
    expect(timeLeft(task('2026-11-30T17:00'), now, cal)).toEqual({ urgency: 'ok', key: 'days', count: 2 }); // Fri 27, Mon 30
    expect(timeLeft(task('2026-11-27T17:00'), now, cal)).toEqual({ urgency: 'soon', key: 'days', count: 1 });
    expect(timeLeft(task('2026-12-10T17:00', { warned: true }), now, cal).urgency).toBe('soon');
    expect(timeLeft(task('2026-12-10T17:00', { warn_at: '2026-11-26T08:00' }), now, cal).urgency).toBe('soon');
  });
  it('ends a deadline at midnight with the day before', () => {
    // Due Tuesday 00:00 is the end of Monday: one working day (Monday) after Friday.
    expect(timeLeft(task('2026-12-01T00:00'), dayjs('2026-11-27T09:00'), cal)).toEqual({ urgency: 'soon', key: 'days', count: 1 });
    expect(timeLeft(task('2026-11-27T00:00'), now, cal)).toEqual({ urgency: 'soon', key: 'today', count: 15 });
    expect(timeLeft(task('2026-11-26T00:00'), dayjs('2026-11-27T09:00'), cal)).toEqual({ urgency: 'overdue', key: 'overdueDays', count: 2 }); // Thu, Fri
  });
  it('counts hours on the last day', () => {
    expect(timeLeft(task('2026-11-26T17:30'), now, cal)).toEqual({ urgency: 'soon', key: 'today', count: 9 });
  });
  it('is overdue past the due date, in hours on the day and working days after', () => {
    expect(timeLeft(task('2026-11-26T07:00'), now, cal)).toEqual({ urgency: 'overdue', key: 'overdueHours', count: 2 });
    expect(timeLeft(task('2026-11-20T17:00', { overdue: true }), now, cal)).toEqual({ urgency: 'overdue', key: 'overdueDays', count: 4 });
  });
  it('has no urgency without a due date or while suspended', () => {
    expect(timeLeft(task(undefined), now, cal).key).toBe('none');
    expect(timeLeft(task('2026-11-20T17:00', { suspended: true }), now, cal).key).toBe('suspended');
  });
});
