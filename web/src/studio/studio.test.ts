import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { marks } from './analyze';
import { scanDoc, suggest, type Vocabulary } from './complete';
import { lintRanges } from './lint';

const consultation = readFileSync(resolve(process.cwd(), '../definitions/library/consultation.yaml'), 'utf8');

describe('lintRanges', () => {
  const doc = Text.of(['key: x', '    - {id: register, name: 登记, next: acept}', 'steps:']);
  // The server counts columns in characters (登记 is two), as CodeMirror counts offsets outside the astral planes.
  it('marks the word at the line and column the server gives', () => {
    const [m] = lintRanges(doc, [{ path: 'steps[0].outcomes[1].next', line: 2, column: doc.line(2).text.indexOf('acept') + 1, message: 'leads to step "acept", which does not exist' }]);
    expect(doc.sliceString(m!.from, m!.to)).toBe('acept');
    expect(m!.message).toBe('steps[0].outcomes[1].next: leads to step "acept", which does not exist');
  });
  it('marks the first line for a problem without a place, and the whole line past its end', () => {
    const [a, b] = lintRanges(doc, [{ path: 'start', message: 'no start' }, { path: 'key', line: 1, column: 30, message: 'x' }]);
    expect(doc.sliceString(a!.from, a!.to)).toBe('key: x');
    expect(doc.sliceString(b!.from, b!.to)).toBe('key: x');
  });
  it('keeps a problem whose line the text no longer has', () => {
    expect(lintRanges(doc, [{ path: 'p', line: 99, column: 1, message: 'm' }])).toEqual([{ from: 0, to: 6, message: 'p: m' }]);
  });
});

describe('completion', () => {
  const scanned = scanDoc(consultation);
  const v: Vocabulary = { ...scanned, units: [{ code: 'galutu', name: '嘎鲁图镇' }], departments: [{ code: 'hrss', name: '人社局' }] };
  const labels = (before: string) => suggest(before, v)?.options.map((o) => o.label) ?? null;

  it('finds the steps and form fields of a definition, not its outcomes or options', () => {
    expect(scanned.steps).toEqual(['intake', 'accept', 'divert', 'handle', 'close']);
    expect(scanned.fields).toEqual(['name', 'phone', 'topic', 'complex', 'question', 'answer']);
  });
  it('offers step ids and end after next, in returnable lists and for start', () => {
    expect(labels('      - {id: register, name: 登记, next: ac')).toEqual(['intake', 'accept', 'divert', 'handle', 'close', 'end']);
    expect(suggest('      - {id: register, next: ac', v)?.from).toBe('      - {id: register, next: '.length);
    expect(labels('    returnable: [intake, ')).toContain('handle');
    expect(labels('start: ')).toContain('intake');
  });
  it('offers form fields after data. and in required', () => {
    expect(labels("    escalate: data.co")).toEqual(scanned.fields);
    expect(labels('    required: [an')).toEqual(scanned.fields);
  });
  it('offers variables and functions in a rule, codes inside its strings', () => {
    const inRule = labels("    first_visit: '!data.complex && lev")!;
    expect(inRule).toContain('level_rank');
    expect(inRule).toContain('workdays(');
    expect(labels(`    divert: 'data.topic == "labor" ? ["hr`)).toEqual(['hrss', 'galutu']);
    expect(labels('    assignee: {department: ')).toEqual(['hrss']);
  });
  it('offers the words of a setting, and nothing elsewhere', () => {
    expect(labels('    deadline: {amount: 3, unit: ')).toEqual(['minutes', 'hours', 'days', 'workdays']);
    expect(labels('name: 法律咨询')).toBeNull();
  });
});

describe('marks', () => {
  it('finds steps cut off from the start and steps with no way to end', () => {
    const p = {
      start: 'a',
      steps: [
        { id: 'a', outcomes: [{ next: 'b' }, { next: 'c' }] },
        { id: 'b', outcomes: [{ next: 'end' }] },
        { id: 'c', outcomes: [{ next: 'c' }] },
        { id: 'd', outcomes: [{ next: 'b' }] },
        { id: 'e', outcomes: [{ next: 'nowhere' }] },
      ],
    };
    expect(marks(p)).toEqual({ unreachable: ['d', 'e'], trapped: ['c', 'e'] });
  });
  it('finds nothing wrong in a built-in procedure', () => {
    const steps = scanDoc(consultation).steps.map((id) => ({ id, outcomes: [{ next: 'end' }] }));
    expect(marks({ steps }).trapped).toEqual([]);
  });
});
