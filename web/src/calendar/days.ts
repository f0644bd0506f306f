// The pure logic of the working-day calendar page: month grids, what each day is, and the
// notice form's rows as the days the server stores (and its problems back at those rows).

/** Holiday is one day of a notice or one regional day, as the API sends it. */
export interface Day {
  date: string;
  name: string;
  name_en?: string;
  region?: string;
  workday?: boolean;
  county?: string;
}

/** Kind is what a day is on the calendar, as the server's Calendar.Day decides it. */
export type Kind = 'workday' | 'weekend' | 'holiday' | 'makeup' | 'regional';

/** Marked is a day the calendar names: its kind and the name the tooltip says. */
export interface Marked {
  kind: Kind;
  name: string;
}

/** iso writes a date as YYYY-MM-DD. */
export function iso(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** weekday is 0 for Monday … 6 for Sunday (the grid's columns), counted in UTC so no time zone moves it. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return (new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() + 6) % 7;
}

/** addDays is the date n days after date. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y!, m! - 1, d! + n));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/**
 * monthGrid is a month's weeks, Monday first: each week seven cells, a date or null before the
 * first and after the last day of the month.
 */
export function monthGrid(year: number, month: number): (string | null)[][] {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells: (string | null)[] = Array<null>(weekday(iso(year, month, 1))).fill(null);
  for (let d = 1; d <= days; d++) cells.push(iso(year, month, d));
  while (cells.length % 7) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** label is a day's name in the page's language, with its region for a regional day. */
export function label(h: Day, en: boolean): string {
  const name = (en && h.name_en) || h.name;
  return h.region ? `${name} (${h.region})` : name;
}

/**
 * marks indexes the named days of the calendar: the notices' days, then the regional ones,
 * which win on the same date (as on the server).
 */
export function marks(notices: { days?: Day[] | null }[], regional: Day[], en = false): Map<string, Marked> {
  const out = new Map<string, Marked>();
  for (const n of notices) {
    for (const h of n.days ?? []) out.set(h.date, { kind: h.workday ? 'makeup' : 'holiday', name: label(h, en) });
  }
  for (const h of regional) {
    // Two counties' regional days on one date: the tooltip names both.
    const before = out.get(h.date);
    const name = before && !h.workday && before.kind === 'regional' ? `${before.name}、${label(h, en)}` : label(h, en);
    out.set(h.date, { kind: h.workday ? 'makeup' : 'regional', name });
  }
  return out;
}

/** kindOf is what date is: a named day's kind, else a weekend or a working day. */
export function kindOf(date: string, marked: Map<string, Marked>): Kind {
  return marked.get(date)?.kind ?? (weekday(date) >= 5 ? 'weekend' : 'workday');
}

/** Row is one line of the notice form: one day, or a range of days with one name. */
export interface Row {
  key: number;
  from: string;
  /** The last day of a range; empty for a single day. */
  to: string;
  name: string;
  name_en?: string;
  workday: boolean;
}

/** NoticeDay is one day of a notice as the PUT sends it. */
export interface NoticeDay {
  date: string;
  name: string;
  name_en?: string;
  workday?: boolean;
}

/** The most days one notice may list (the server's limit). */
export const maxDays = 100;

/**
 * expand turns the form's rows into the notice's days, one per date, and says which row gave
 * each day (rowOf[i] is the index of the row of days[i]), so a problem the server finds at
 * body.days[i] is shown at that row. A range whose end is before its start gives its first day only.
 */
export function expand(rows: Row[]): { days: NoticeDay[]; rowOf: number[] } {
  const days: NoticeDay[] = [];
  const rowOf: number[] = [];
  rows.forEach((r, i) => {
    if (!r.from) return;
    for (let d = r.from, n = 0; n === 0 || (r.to && d <= r.to && n <= maxDays); d = addDays(d, 1), n++) {
      const day: NoticeDay = { date: d, name: r.name.trim() };
      if (r.name_en) day.name_en = r.name_en;
      if (r.workday) day.workday = true;
      days.push(day);
      rowOf.push(i);
    }
  });
  return { days, rowOf };
}

/**
 * rowsOf groups a notice's days back into the form's rows: consecutive days with the same name
 * and kind make one range.
 */
export function rowsOf(days: Day[]): Row[] {
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const rows: Row[] = [];
  for (const h of sorted) {
    const last = rows[rows.length - 1];
    const end = last ? last.to || last.from : '';
    if (last && addDays(end, 1) === h.date && last.name === h.name && last.workday === !!h.workday && (last.name_en ?? '') === (h.name_en ?? '')) {
      last.to = h.date;
      continue;
    }
    rows.push({ key: rows.length, from: h.date, to: '', name: h.name, name_en: h.name_en || undefined, workday: !!h.workday });
  }
  return rows;
}

/** ProblemDetail is one error of the server's problem (huma's RFC 9457 shape). */
export interface ProblemDetail {
  message?: string;
  location?: string;
  value?: unknown;
}

/** Placed is a problem's errors where the form shows them. */
export interface Placed {
  /** Messages by row index. */
  rows: Map<number, string[]>;
  title?: string;
  issued?: string;
  /** Whatever has no field of its own (the year, the number of days). */
  other: string[];
}

/** place puts a 422's errors at the form's rows and fields; rowOf is expand's. */
export function place(errors: ProblemDetail[] | null | undefined, rowOf: number[]): Placed {
  const out: Placed = { rows: new Map(), other: [] };
  for (const e of errors ?? []) {
    const message = e.message ?? '';
    const loc = e.location ?? '';
    const day = /^body\.days\[(\d+)\]/.exec(loc);
    const row = day ? rowOf[Number(day[1])] : undefined;
    if (row !== undefined) out.rows.set(row, [...(out.rows.get(row) ?? []), message]);
    else if (loc === 'body.title') out.title = message;
    else if (loc === 'body.issued') out.issued = message;
    else out.other.push(loc ? `${loc}: ${message}` : message);
  }
  return out;
}

/** spanText writes a row's dates as "2027-02-06 至 2027-02-13", or the single day. */
export function spanText(r: Pick<Row, 'from' | 'to'>, to: string): string {
  return r.to && r.to !== r.from ? `${r.from} ${to} ${r.to}` : r.from;
}
