/** The parts of a procedure's steps the analysis reads (the API's Procedure has them). */
export type StepsOf = {
  start?: string;
  steps?: { id: string; outcomes?: { next?: string }[] | null }[] | null;
};

/**
 * marks are the steps a case could never reach from the start (unreachable) and the steps from
 * which no chain of outcomes leads to `end` (trapped): what publishing refuses, drawn on the
 * diagram while the administrator types. Outcomes naming a step that does not exist lead nowhere.
 */
export function marks(p: StepsOf): { unreachable: string[]; trapped: string[] } {
  const steps = p.steps ?? [];
  const ids = new Set(steps.map((s) => s.id));
  const next = new Map(steps.map((s) => [s.id, (s.outcomes ?? []).map((o) => o.next || 'end')]));
  const start = p.start && ids.has(p.start) ? p.start : steps[0]?.id;
  const reached = new Set<string>();
  const todo = start ? [start] : [];
  while (todo.length) {
    const s = todo.pop()!;
    if (reached.has(s) || !ids.has(s)) continue;
    reached.add(s);
    todo.push(...(next.get(s) ?? []));
  }
  // Backwards from end: a step ends when one of its outcomes goes to end or to a step that ends.
  const ends = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of steps) {
      if (ends.has(s.id)) continue;
      if ((next.get(s.id) ?? []).some((n) => n === 'end' || ends.has(n))) {
        ends.add(s.id);
        changed = true;
      }
    }
  }
  return {
    unreachable: steps.filter((s) => !reached.has(s.id)).map((s) => s.id),
    trapped: steps.filter((s) => !ends.has(s.id)).map((s) => s.id),
  };
}
