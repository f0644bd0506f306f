import dayjs from 'dayjs';

/** fmt is a time as clerks write it, in the browser's zone (Asia/Shanghai in the offices). */
export const fmt = (s?: string) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');

/**
 * fmtDue is a due date as the law counts it: a period that ends with a day ends at its 24:00, so
 * midnight is shown as 24:00 of the day before (2026-11-30 24:00), not 00:00 of the next day.
 */
export function fmtDue(s?: string): string {
  if (!s) return '—';
  const d = dayjs(s);
  if (d.hour() === 0 && d.minute() === 0) return `${d.subtract(1, 'day').format('YYYY-MM-DD')} 24:00`;
  return d.format('YYYY-MM-DD HH:mm');
}
