import type { Problem } from '../api/client';
import { placeProblems, type Placed } from '../components/problems';

/** A step of a procedure version, as the plan's form names it. */
export interface StepRef {
  id: string;
  name: string;
  name_en?: string;
}

/** The step mapping's rows: the steps that keep their id, and the source's steps the target lacks. */
export interface MappingRows {
  /** Steps of the source the target has under the same id: they map themselves. */
  same: StepRef[];
  /** Steps of the source the target lacks: each needs a target step, or its cases are left. */
  mapped: StepRef[];
}

/** mappingRows splits the source version's steps into those that map themselves and those the plan has to map. */
export function mappingRows(from: readonly StepRef[], to: readonly StepRef[]): MappingRows {
  const ids = new Set(to.map((s) => s.id));
  const rows: MappingRows = { same: [], mapped: [] };
  for (const s of from) (ids.has(s.id) ? rows.same : rows.mapped).push(s);
  return rows;
}

/** The plan form's values: steps holds a target step per source step of the rows (empty: none). */
export interface PlanValues {
  procedure: string;
  from: number;
  to: number;
  steps?: Record<string, string | undefined>;
}

/** The request body of a plan (POST /v1/admin/migrations). */
export interface PlanBody {
  procedure: string;
  from: number;
  to: number;
  steps?: Record<string, string>;
}

/**
 * planBody is the plan to send: only the rows given a target step are mapped, and only rows of
 * the current source (a row left from another version picked before is dropped).
 */
export function planBody(v: PlanValues, rows: MappingRows): PlanBody {
  const steps: Record<string, string> = {};
  for (const r of rows.mapped) {
    const to = v.steps?.[r.id];
    if (to) steps[r.id] = to;
  }
  const body: PlanBody = { procedure: v.procedure, from: v.from, to: v.to };
  if (Object.keys(steps).length) body.steps = steps;
  return body;
}

/** The form's top fields a refusal can name. */
export const planFields = ['procedure', 'from', 'to', 'steps'] as const;

/**
 * placePlanProblems puts a refused plan's messages under the form's fields: body.to under the
 * target version, body.steps.verify under the row of step verify. A message about a step the
 * form has no row for (a step mapped although the target has it) cannot be shown at a field:
 * it goes above the buttons with the rest.
 */
export function placePlanProblems(problem: Problem | undefined, fallback: string, rows: MappingRows): { placed: Placed[]; rest: string[] } {
  const p = placeProblems(problem, fallback, planFields);
  const shown = new Set(rows.mapped.map((r) => r.id));
  const placed: Placed[] = [];
  const rest = [...p.rest];
  for (const x of p.placed) {
    if (x.name[0] === 'steps' && (x.name.length !== 2 || !shown.has(String(x.name[1])))) rest.push(...x.errors);
    else placed.push(x);
  }
  return { placed, rest };
}

/** The counts of a plan's cases by status. */
export interface Progress {
  total: number;
  pending: number;
  moved: number;
  left: number;
  failed: number;
}

/**
 * done is the share of a plan's cases settled (moved, left or failed), in whole per cent: a plan
 * with no case is done.
 */
export function done(p: Progress): number {
  if (!p.total) return 100;
  return Math.floor(((p.total - p.pending) * 100) / p.total);
}

/** defaultFrom is the version whose cases a plan to version to most likely moves: the other version with the most running cases, the newest on a tie. */
export function defaultFrom(versions: readonly { version: number; running: number; status: string }[], to: number | undefined): number | undefined {
  let best: { version: number; running: number } | undefined;
  for (const v of versions) {
    if (v.version === to || v.status === 'draft') continue;
    if (!best || v.running > best.running || (v.running === best.running && v.version > best.version)) best = v;
  }
  return best?.version;
}
