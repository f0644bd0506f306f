import { describe, expect, it } from 'vitest';
import type { Procedure } from '../api/procedures';
import { outcomeName, stepName } from './names';

const p = {
  key: 'mediation', name: '人民调解', status: 'published', valid_from: '2026-01-01', version: 1,
  steps: [
    { id: 'intake', name: '纠纷登记', assignee: {}, outcomes: [{ id: 'register', name: '登记', next: 'accept' }] },
    { id: 'accept', name: '受理', name_en: 'Accept', assignee: {}, outcomes: [{ id: 'escalate', name: '上报', next: 'accept' }] },
  ],
} as Procedure;

describe('names from the procedure', () => {
  it('names steps and outcomes, falling back to the id', () => {
    expect(stepName(p, 'accept')).toBe('受理');
    expect(stepName(p, 'accept', true)).toBe('Accept');
    expect(stepName(undefined, 'accept')).toBe('accept');
    expect(outcomeName(p, 'register')).toBe('登记');
    expect(outcomeName(p, 'escalate', 'accept')).toBe('上报');
    expect(outcomeName(p, 'nope')).toBe('nope');
  });
});
