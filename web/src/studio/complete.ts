/** What a definition names, for completion: its steps and form fields, and the organisation's codes. */
export type Vocabulary = {
  steps: string[];
  fields: string[];
  units: { code: string; name: string }[];
  departments: { code: string; name: string }[];
};

/** An option offered at the cursor: label is inserted; type is CodeMirror's icon class. */
export type Option = { label: string; detail?: string; type: 'variable' | 'function' | 'constant' | 'keyword' | 'property' | 'enum' };

/** Suggestion replaces the line's text from `from` (an offset in the line) with one of its options. */
export type Suggestion = { from: number; options: Option[] };

/** The rule environment's variables and functions (docs/procedures.md, definitions.Env). */
export const ruleVariables: Option[] = [
  ['data', 'form values'], ['matter', 'string'], ['procedure', 'string'], ['step', 'string'], ['level', 'string'],
  ['level_rank', 'int 0-4'], ['org_unit', 'string'], ['elapsed_hours', 'float'], ['elapsed_days', 'int'],
  ['remaining_hours', 'float'], ['overdue', 'bool'], ['escalations', 'int'], ['returns', 'int'], ['transfers', 'int'],
  ['extensions', 'int'], ['visits', 'int'], ['suspended', 'bool'], ['first_visit', 'bool'], ['departments', 'list'],
].map(([label, detail]) => ({ label: label!, detail, type: 'variable' as const }));

export const ruleFunctions: Option[] = [
  ['days', 'days(n): calendar days'], ['workdays', 'workdays(n): working days'], ['hours', 'hours(n)'], ['minutes', 'minutes(n)'],
  ['len', 'len(x)'], ['upper', 'upper(s)'], ['lower', 'lower(s)'], ['trim', 'trim(s)'], ['int', 'int(x)'], ['string', 'string(x)'],
].map(([label, detail]) => ({ label: `${label}(`, detail, type: 'function' as const }));

const words = (type: Option['type'], ...xs: string[]): Option[] => xs.map((label) => ({ label, type }));

// Settings whose value is one of a few words.
const enums: Record<string, Option[]> = {
  unit: words('enum', 'minutes', 'hours', 'days', 'workdays'),
  level: words('enum', 'group', 'village', 'town', 'banner', 'government'),
  role: words('enum', 'clerk', 'supervisor', 'grid', 'department'),
  move: words('enum', 'up', 'down'),
  from: words('enum', 'step', 'received'),
  kind: words('enum', 'accepted', 'resolved', 'mediated_success', 'mediated_failure', 'withdrawn', 'transferred', 'refused', 'terminated', 'not_accepted'),
  type: words('enum', 'text', 'long_text', 'integer', 'boolean', 'date', 'enum', 'phone', 'resident_id', 'org_unit', 'department'),
};

// The settings that hold a rule (an expr expression).
const ruleKeys = /\b(?:first_visit|accept|escalate|divert|when|expr)\s*:\s*/g;

/**
 * suggest is what to offer at the end of `before`, the line's text up to the cursor: step ids
 * after `next:`, `start:` and in `returnable`/`stop` lists; form fields after `data.` and in
 * `required`; department codes after `department:`; inside a rule, variables and functions, and
 * department and org-unit codes inside a quoted string; the words a setting such as `unit:`
 * takes. null when there is nothing to offer.
 */
export function suggest(before: string, v: Vocabulary): Suggestion | null {
  let m: RegExpExecArray | null;
  if ((m = /data\.(\w*)$/.exec(before))) {
    return { from: before.length - m[1]!.length, options: words('property', ...v.fields) };
  }
  if ((m = /\bnext\s*:\s*(\w*)$/.exec(before))) {
    return { from: before.length - m[1]!.length, options: [...words('constant', ...v.steps), { label: 'end', type: 'keyword', detail: '办结' }] };
  }
  if ((m = /^\s*start\s*:\s*(\w*)$/.exec(before)) || (m = /\b(?:returnable|stop)\s*:\s*\[[^\]]*?(\w*)$/.exec(before))) {
    return { from: before.length - m[1]!.length, options: words('constant', ...v.steps) };
  }
  if ((m = /\brequired\s*:\s*\[[^\]]*?(\w*)$/.exec(before))) {
    return { from: before.length - m[1]!.length, options: words('property', ...v.fields) };
  }
  if ((m = /\bdepartment\s*:\s*([\w-]*)$/.exec(before))) {
    return { from: before.length - m[1]!.length, options: v.departments.map((d) => ({ label: d.code, detail: d.name, type: 'constant' as const })) };
  }
  let rule = -1;
  for (const r of before.matchAll(ruleKeys)) rule = r.index + r[0].length;
  if (rule >= 0) {
    const expr = before.slice(rule);
    if (((expr.match(/"/g) ?? []).length % 2) === 1) {
      m = /([\w-]*)$/.exec(expr)!;
      return {
        from: before.length - m[1]!.length,
        options: [
          ...v.departments.map((d) => ({ label: d.code, detail: d.name, type: 'constant' as const })),
          ...v.units.map((u) => ({ label: u.code, detail: u.name, type: 'constant' as const })),
        ],
      };
    }
    m = /(^|[^.\w])([A-Za-z_]\w*)$/.exec(expr);
    if (m) return { from: before.length - m[2]!.length, options: [...ruleVariables, ...ruleFunctions] };
    return null;
  }
  if ((m = /\b(unit|level|role|move|from|kind|type)\s*:\s*(\w*)$/.exec(before))) {
    return { from: before.length - m[2]!.length, options: enums[m[1]!]! };
  }
  return null;
}

/**
 * scanDoc finds the step ids and form field names a YAML definition declares, by the items of
 * its top-level `steps:` and `form:` lists (their outcomes and options are deeper): enough for
 * completion while the text does not yet parse.
 */
export function scanDoc(text: string): { steps: string[]; fields: string[] } {
  const out = { steps: [] as string[], fields: [] as string[] };
  let section = '';
  let indent = -1;
  for (const line of text.split('\n')) {
    const top = /^([A-Za-z_]+)\s*:/.exec(line);
    if (top) {
      section = top[1]!;
      indent = -1;
      continue;
    }
    if (section !== 'steps' && section !== 'form') continue;
    const item = /^(\s*)-\s/.exec(line);
    if (!item) continue;
    if (indent < 0) indent = item[1]!.length;
    if (item[1]!.length !== indent) continue;
    const m = (section === 'steps' ? /^\s*-\s*\{?\s*id\s*:\s*(\w+)/ : /^\s*-\s*\{?\s*name\s*:\s*(\w+)/).exec(line);
    if (m) (section === 'steps' ? out.steps : out.fields).push(m[1]!);
  }
  return out;
}
