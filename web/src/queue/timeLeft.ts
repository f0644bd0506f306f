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

/** dayNumber is a calendar day as a count of days since 1970-01-01 (a Thursday). */
const dayNumber = (year: number, month0: number, date: number) => Math.round(Date.UTC(year, month0, date) / 86_400_000);
const weekend = (n: number) => {
  const w = (((n + 4) % 7) + 7) % 7; // 0 Sunday … 6 Saturday
  return w === 0 || w === 6;
};
/** weekdaysBefore counts Monday to Friday among the day numbers below n. */
function weekdaysBefore(n: number): number {
  const weeks = Math.floor(n / 7);
  let count = weeks * 5;
  for (let d = weeks * 7; d < n; d++) if (!weekend(d)) count++;
  return count;
}

/** The calendar's exceptions to Monday–Friday as sorted day numbers, computed once per calendar. */
const exceptions = new WeakMap<Calendar, { off: number[]; on: number[] }>();
function exceptionsOf(cal: Calendar) {
  let e = exceptions.get(cal);
  if (!e) {
    const num = (key: string) => {
      const [y, m, d] = key.split('-').map(Number);
      return dayNumber(y!, m! - 1, d!);
    };
    // A weekday that is a holiday (and not also marked worked) is off; a weekend day marked worked is on.
    const off = [...cal.holidays].filter((k) => !cal.workdays.has(k)).map(num).filter((n) => !weekend(n));
    const on = [...cal.workdays].map(num).filter(weekend);
    e = { off: off.sort((x, y) => x - y), on: on.sort((x, y) => x - y) };
    exceptions.set(cal, e);
  }
  return e;
}
/** below counts the sorted numbers under n. */
function below(sorted: number[], n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * workingDaysBetween counts the working days after day a up to and including day b (a < b):
 * by arithmetic over the weeks and the calendar's exceptions, so that a task a year overdue
 * costs no more to draw than one due tomorrow.
 */
export function workingDaysBetween(a: Dayjs, b: Dayjs, cal: Calendar): number {
  const from = dayNumber(a.year(), a.month(), a.date()) + 1;
  const to = dayNumber(b.year(), b.month(), b.date()) + 1; // exclusive
  if (to <= from) return 0;
  const { off, on } = exceptionsOf(cal);
  return weekdaysBefore(to) - weekdaysBefore(from) - (below(off, to) - below(off, from)) + (below(on, to) - below(on, from));
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
