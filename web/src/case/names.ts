import type { Procedure } from '../api/procedures';

/** stepName is a step's name in the procedure, its id when the procedure is not loaded (yet). */
export function stepName(p: Procedure | undefined, id: string, en = false): string {
  const s = p?.steps?.find((x) => x.id === id);
  return (s && ((en && s.name_en) || s.name)) || id;
}

/** outcomeName is an outcome's name, looked up in the step given or else in any step. */
export function outcomeName(p: Procedure | undefined, id: string, step?: string, en = false): string {
  const steps = p?.steps ?? [];
  const o =
    steps.find((s) => s.id === step)?.outcomes?.find((x) => x.id === id) ??
    steps.flatMap((s) => s.outcomes ?? []).find((x) => x.id === id);
  return (o && ((en && o.name_en) || o.name)) || id;
}
