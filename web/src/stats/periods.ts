import dayjs, { type Dayjs } from 'dayjs';

/** Period is a run of days received, both ends included, as GET /v1/stats takes them (YYYY-MM-DD). */
export type Period = { from: string; to: string; label: string };

const day = 'YYYY-MM-DD';

/** The longest period still shown week by week; a longer one is shown month by month. */
export const maxWeeks = 26;

/** monday is the Monday of the week of d (Chinese weeks start on Monday, whatever the locale). */
export function monday(d: Dayjs): Dayjs {
  return d.subtract((d.day() + 6) % 7, 'day').startOf('day');
}

/**
 * buckets cuts from..to into weeks (Monday to Sunday), or into months when that would make more
 * than maxWeeks weeks; the first and last are clipped to the period, so every day counts once.
 */
export function buckets(from: string, to: string): { unit: 'week' | 'month'; periods: Period[] } {
  const a = dayjs(from);
  const b = dayjs(to);
  if (b.isBefore(a)) return { unit: 'week', periods: [] };
  const weeks = monday(b).diff(monday(a), 'week') + 1;
  const unit = weeks > maxWeeks ? 'month' : 'week';
  const periods: Period[] = [];
  let start = unit === 'week' ? monday(a) : a.startOf('month');
  while (!start.isAfter(b)) {
    const end = unit === 'week' ? start.add(6, 'day') : start.endOf('month').startOf('day');
    const f = start.isBefore(a) ? a : start;
    const t = end.isAfter(b) ? b : end;
    periods.push({ from: f.format(day), to: t.format(day), label: unit === 'week' ? f.format('MM-DD') : start.format('YYYY-MM') });
    start = unit === 'week' ? start.add(7, 'day') : start.add(1, 'month');
  }
  return { unit, periods };
}

/** defaultPeriod is the last twelve weeks, this one included: Monday eleven weeks ago to today. */
export function defaultPeriod(today = dayjs()): { from: string; to: string } {
  return { from: monday(today).subtract(11, 'week').format(day), to: today.format(day) };
}
