import type { Problem } from '../api/client';

/** A 422's message placed at a form field: name is antd's path of the field. */
export interface Placed {
  name: (string | number)[];
  errors: string[];
}

/**
 * placeProblems puts a refused request's messages at the form's fields: body.name is the field
 * name, body.posts[1].org_unit is posts → 1 → org_unit, path.code (the code in the URL) is code.
 * Messages at no field of the form, and the detail of a problem without any located message
 * (a 409), are rest, shown above the buttons. A message at an item of a list edited in one
 * control (a select of tags: body.cases[2]) goes under the control, naming the item's value.
 */
export function placeProblems(problem: Problem | undefined, fallback: string, fields: readonly string[], lists: readonly string[] = []): { placed: Placed[]; rest: string[] } {
  const placed: Placed[] = [];
  const rest: string[] = [];
  for (const e of problem?.errors ?? []) {
    let name = fieldPath(e.location);
    let message = e.message ?? '';
    if (name && name.length === 2 && lists.includes(String(name[0]))) {
      name = [name[0]!];
      if (e.value !== undefined && e.value !== null && e.value !== '') message = `${String(e.value)}：${message}`;
    }
    if (name && fields.includes(String(name[0]))) {
      const same = placed.find((p) => p.name.join('.') === name.join('.'));
      if (same) same.errors.push(message);
      else placed.push({ name, errors: [message] });
    } else rest.push(message);
  }
  if (!placed.length && !rest.length) rest.push(problem?.detail || problem?.title || fallback);
  return { placed, rest };
}

function fieldPath(location: string | undefined): (string | number)[] | undefined {
  const m = /^(?:body|path)\.(.+)$/.exec(location ?? '');
  if (!m) return undefined;
  return m[1]!.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
