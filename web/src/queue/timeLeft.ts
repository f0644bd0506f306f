import dayjs, { type Dayjs } from 'dayjs';

/** Calendar says which days are worked: weekdays, except holidays, plus make-up working days. */
export interface Calendar {
  /** Holidays (YYYY-MM-DD) that fall on weekdays or not: days off. */
  holidays: ReadonlySet<string>;
  /** Make-up working days (调休上班): weekend days that are worked. */
  workdays: ReadonlySet<string>;
}

export const weekendsOnly: Calendar = { holidays: new Set(), workdays: new Set() };

export function isWorkingDay(d: Dayjs, cal: Calendar): boolean {
  const key = d.format('YYYY-MM-DD');
  if (cal.workdays.has(key)) return true;
  if (cal.holidays.has(key)) return false;
  const wd = d.day();
  return wd !== 0 && wd !== 6;
}

/** workingDaysBetween counts the working days after day a up to and including day b (a < b). */
export function workingDaysBetween(a: Dayjs, b: Dayjs, cal: Calendar): number {
  let n = 0;
  for (let d = a.startOf('day').add(1, 'day'); !d.isAfter(b.startOf('day')); d = d.add(1, 'day')) {
    if (isWorkingDay(d, cal)) n++;
  }
  return n;
}

export type Urgency = 'overdue' | 'soon' | 'ok' | 'none';

/** TimeLeft is how long a task has before its due date, as a clerk counts it. */
export interface TimeLeft {
  urgency: Urgency;
  /** i18n key under left.* and its count. */
  key: 'overdueDays' | 'overdueHours' | 'today' | 'days' | 'suspended' | 'none';
  count: number;
}

export interface Dueable {
  due_at?: string;
  warn_at?: string;
  overdue: boolean;
  warned: boolean;
  suspended: boolean;
}

/**
 * timeLeft says how much time a task has left in working days (in hours on its last day and
 * on the day it lapsed), and how urgent it is: overdue once past due, due soon once the
 * workflow warned (or its warning time passed) or with a working day or less to go.
 */
export function timeLeft(task: Dueable, now: Dayjs, cal: Calendar = weekendsOnly): TimeLeft {
  if (task.suspended) return { urgency: 'none', key: 'suspended', count: 0 };
  if (!task.due_at) return { urgency: 'none', key: 'none', count: 0 };
  const due = dayjs(task.due_at);
  // A deadline at midnight ends the day before: due 12-01 00:00 is the last moment of 11-30.
  const dueDay = due.subtract(1, 'millisecond');
  if (task.overdue || !due.isAfter(now)) {
    const days = dueDay.isBefore(now, 'day') ? workingDaysBetween(dueDay, now, cal) : 0;
    if (days > 0) return { urgency: 'overdue', key: 'overdueDays', count: days };
    return { urgency: 'overdue', key: 'overdueHours', count: Math.max(1, Math.ceil(now.diff(due, 'minute') / 60)) };
  }
  const warned = task.warned || (task.warn_at !== undefined && !dayjs(task.warn_at).isAfter(now));
  if (dueDay.isSame(now, 'day')) {
    return { urgency: 'soon', key: 'today', count: Math.max(1, Math.ceil(due.diff(now, 'minute') / 60)) };
  }
  const days = workingDaysBetween(now, dueDay, cal);
  return { urgency: warned || days <= 1 ? 'soon' : 'ok', key: 'days', count: days };
}

/** calendarOf reads the API's holiday lists into a Calendar. */
export function calendarOf(
  lists: { days?: { date: string; workday?: boolean }[] | null }[],
): Calendar {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const l of lists) {
    for (const d of l.days ?? []) (d.workday ? workdays : holidays).add(d.date);
  }
  return { holidays, workdays };
}
