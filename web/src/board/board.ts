import type { components } from '../api/schema';

export type BoardGroup = components['schemas']['BoardGroup'];
export type BoardItem = components['schemas']['BoardItem'];
type Task = components['schemas']['Task'];
type ErrorDetail = components['schemas']['ErrorDetail'];

/** The levels of the chain, lowest first, as the board orders them. */
export const levels = ['group', 'village', 'town', 'banner', 'government'] as const;

/** UnitCount is how many listed tasks an org unit holds. */
export interface UnitCount {
  unit: string;
  count: number;
}

/**
 * unitsOf counts the listed tasks of the groups by the org unit holding them, most first (then
 * by code). A department's task names no unit: it is counted under ''.
 */
export function unitsOf(...boards: (readonly BoardGroup[] | undefined)[]): UnitCount[] {
  const n = new Map<string, number>();
  for (const groups of boards) {
    for (const g of groups ?? []) {
      for (const x of g.items ?? []) n.set(x.org_unit ?? '', (n.get(x.org_unit ?? '') ?? 0) + 1);
    }
  }
  return [...n.entries()]
    .map(([unit, count]) => ({ unit, count }))
    .sort((a, b) => b.count - a.count || a.unit.localeCompare(b.unit));
}

/** ShownGroup is a board group as shown: its tasks (of one unit when filtered) and how many the server counted. */
export interface ShownGroup {
  key: string;
  level: string;
  department?: string;
  /** Every such task on the server (unfiltered), more than are listed when the group is long. */
  count: number;
  items: BoardItem[];
}

/**
 * showGroups keeps the board's order (level lowest first, then department) and, when unit is
 * given, only the tasks that unit holds, dropping the groups left empty.
 */
export function showGroups(groups: readonly BoardGroup[] | undefined, unit?: string): ShownGroup[] {
  const out: ShownGroup[] = [];
  for (const g of groups ?? []) {
    const items = (g.items ?? []).filter((x) => unit === undefined || (x.org_unit ?? '') === unit);
    if (items.length === 0) continue;
    out.push({ key: `${g.level}/${g.department ?? ''}`, level: g.level, department: g.department, count: g.count, items });
  }
  return out;
}

/** total is the number of tasks on a board (the server's counts, not only those listed). */
export function total(groups: readonly BoardGroup[] | undefined): number {
  return (groups ?? []).reduce((n, g) => n + g.count, 0);
}

/** Stop is one place a case was held on its way along the chain. */
export interface Stop {
  level: string;
  orgUnit?: string;
  /** When the case arrived there (its first task there opened). */
  from: string;
  /** When it left (its last task there closed); absent for where it is now. */
  to?: string;
}

/**
 * chainOf is the path of a case along the chain (village → town → banner, and back down when
 * handed down), read from its tasks in the order they opened: each run of steps held at one
 * level and unit is a stop. Department reports (吹哨报到) are the departments' part, not a move
 * of the case, and are left out.
 */
export function chainOf(tasks: readonly Task[] | null | undefined): Stop[] {
  const stops: Stop[] = [];
  const sorted = [...(tasks ?? [])]
    .filter((x) => x.kind !== 'report' && !x.department)
    .sort((a, b) => a.opened_at.localeCompare(b.opened_at));
  for (const x of sorted) {
    const last = stops[stops.length - 1];
    if (last && last.level === x.level && (last.orgUnit ?? '') === (x.org_unit ?? '')) {
      last.to = x.status === 'open' ? undefined : x.closed_at;
      continue;
    }
    stops.push({ level: x.level, orgUnit: x.org_unit, from: x.opened_at, to: x.status === 'open' ? undefined : x.closed_at });
  }
  return stops;
}

/** climbed says whether a case's path went up the chain at least once. */
export function climbed(stops: readonly Stop[]): boolean {
  const rank = (l: string) => levels.indexOf(l as (typeof levels)[number]);
  return stops.some((s, i) => i > 0 && rank(s.level) > rank(stops[i - 1]!.level));
}

/**
 * urgeRefusals maps an urge's 422 errors, located at body.cases[i], to the case numbers sent
 * (refs[i]); errors located elsewhere are under ''.
 */
export function urgeRefusals(errors: readonly ErrorDetail[] | null | undefined, refs: readonly string[]) {
  const out: { ref: string; message: string }[] = [];
  for (const e of errors ?? []) {
    const m = /^body\.cases\[(\d+)\]$/.exec(e.location ?? '');
    out.push({ ref: m ? (refs[Number(m[1])] ?? '') : '', message: e.message ?? e.code ?? '' });
  }
  return out;
}
