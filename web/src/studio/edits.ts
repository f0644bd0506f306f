import { parseDocument, isSeq, isMap } from 'yaml';

/** The options of the everyday edits' output: the definition's own style, no folding of long rules. */
const style = { lineWidth: 0, flowCollectionPadding: false } as const;

export type Period = { amount: number; unit: 'minutes' | 'hours' | 'days' | 'workdays'; basis?: string };

/**
 * setDeadline writes a step's deadline into the YAML: at a level (`levels.<level>.deadlines.<step>`)
 * or, without a level, the step's own; an existing deadline keeps its other settings. Comments and the layout of the rest are kept (the yaml
 * library edits the document, not a re-dump of it). It throws when the YAML cannot be read or
 * has no such step.
 */
export function setDeadline(text: string, step: string, level: string | undefined, p: Period): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(doc.errors[0]!.message);
  let path: (string | number)[] = ['levels', level ?? '', 'deadlines', step];
  if (!level) {
    const steps = doc.get('steps');
    const i = isSeq(steps) ? steps.items.findIndex((s) => isMap(s) && s.get('id') === step) : -1;
    if (i < 0) throw new Error(`no step ${step}`);
    path = ['steps', i, 'deadline'];
  }
  const current = doc.getIn(path, true);
  if (isMap(current)) {
    // The deadline's other settings (suspendable, extension …) stay as they are; a rule gives way to the period.
    current.delete('expr');
    current.set('amount', p.amount);
    current.set('unit', p.unit);
    if (p.basis) current.set('basis', p.basis);
    else current.delete('basis');
  } else {
    doc.setIn(path, doc.createNode(p.basis ? { amount: p.amount, unit: p.unit, basis: p.basis } : { amount: p.amount, unit: p.unit }, { flow: true }));
  }
  return doc.toString(style);
}

/** DivertRow is one line of a diversion table: cases whose field has this value go to these departments. */
export type DivertRow = { value: string; departments: string[] };

const list = (codes: string[]) => `[${codes.map((c) => JSON.stringify(c)).join(', ')}]`;

/**
 * divertRule writes a diversion table as the rule the built-in procedures use: a chain of
 * `data.<field> == "<value>" ? [...] :` ending in the departments for any other value.
 */
export function divertRule(field: string, rows: DivertRow[], otherwise: string[]): string {
  const used = rows.filter((r) => r.value && r.departments.length);
  return used.map((r) => `data.${field} == ${JSON.stringify(r.value)} ? ${list(r.departments)} : `).join('') + list(otherwise);
}

/**
 * readDivert reads a rule of the shape divertRule writes back into a table; null for any other
 * rule (written by hand), which the form then does not pretend to show.
 */
export function readDivert(rule: string): { field: string; rows: DivertRow[]; otherwise: string[] } | null {
  const codes = (s: string) => [...s.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  const part = /^\s*data\.(\w+)\s*==\s*"([^"]*)"\s*\?\s*(\[[^\]]*\])\s*:\s*/;
  let rest = rule;
  let field = '';
  const rows: DivertRow[] = [];
  for (let m = part.exec(rest); m; m = part.exec(rest)) {
    if (field && m[1] !== field) return null;
    field = m[1]!;
    rows.push({ value: m[2]!, departments: codes(m[3]!) });
    rest = rest.slice(m[0].length);
  }
  const last = /^\s*(\[[^\]]*\])\s*$/.exec(rest);
  if (!last) return null;
  return { field, rows, otherwise: codes(last[1]!) };
}

/** setDivert writes a level's diversion rule into the YAML. */
export function setDivert(text: string, level: string, rule: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(doc.errors[0]!.message);
  const node = doc.createNode(rule);
  node.type = 'QUOTE_SINGLE';
  doc.setIn(['levels', level, 'divert'], node);
  return doc.toString(style);
}

/** setValidFrom writes the day the version takes effect (YYYY-MM-DD), or takes it out (from the day it is published). */
export function setValidFrom(text: string, day: string | undefined): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(doc.errors[0]!.message);
  if (day) doc.set('valid_from', day);
  else doc.delete('valid_from');
  return doc.toString(style);
}
