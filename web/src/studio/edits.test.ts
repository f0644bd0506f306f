import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { divertRule, readDivert, setDeadline, setDivert, setValidFrom } from './edits';

const consultation = readFileSync(resolve(process.cwd(), '../definitions/library/consultation.yaml'), 'utf8');
const changed = (a: string, b: string) => {
  const x = a.split('\n');
  const y = b.split('\n');
  return y.filter((l) => !x.includes(l));
};

describe('everyday edits', () => {
  it("writes a level's deadline for a step and keeps everything else as written", () => {
    const out = setDeadline(consultation, 'handle', 'town', { amount: 10, unit: 'days', basis: '本镇要求' });
    expect(changed(consultation, out)).toEqual(['    deadlines:', '      handle: {amount: 10, unit: days, basis: 本镇要求}']);
    expect(out.split('\n').length).toBe(consultation.split('\n').length + 2);
    expect(out.startsWith('# 法律咨询 legal consultation')).toBe(true);
  });
  it("changes a level's deadline and keeps its other settings", () => {
    const mediation = readFileSync(resolve(process.cwd(), '../definitions/library/mediation.yaml'), 'utf8');
    const out = setDeadline(mediation, 'handle', 'village', { amount: 20, unit: 'days', basis: '嘎查村（社区）调解' });
    expect(changed(mediation, out)).toEqual(['      handle: {amount: 20, unit: days, suspendable: true, basis: 嘎查村（社区）调解}']);
  });
  it("replaces a step's own deadline", () => {
    const out = setDeadline(consultation, 'handle', undefined, { amount: 5, unit: 'workdays', basis: '本地工作要求' });
    expect(out).toContain('    deadline: {amount: 5, unit: workdays, basis: 本地工作要求}\n    required: [answer]');
    expect(out).not.toContain('amount: 3, unit: workdays, basis: 本地工作要求');
    expect(() => setDeadline(consultation, 'nowhere', undefined, { amount: 1, unit: 'days' })).toThrow('no step nowhere');
  });
  it('reads back the diversion rules it writes, and only those', () => {
    const rule = divertRule('topic', [{ value: 'labor', departments: ['hrss'] }, { value: 'land', departments: ['natural-resources', 'justice'] }, { value: '', departments: ['x'] }], ['justice']);
    expect(rule).toBe('data.topic == "labor" ? ["hrss"] : data.topic == "land" ? ["natural-resources", "justice"] : ["justice"]');
    expect(readDivert(rule)).toEqual({ field: 'topic', rows: [{ value: 'labor', departments: ['hrss'] }, { value: 'land', departments: ['natural-resources', 'justice'] }], otherwise: ['justice'] });
    expect(readDivert('["justice"]')).toEqual({ field: '', rows: [], otherwise: ['justice'] });
    expect(readDivert('data.complex ? ["a"] : ["b"]')).toBeNull();
    const out = setDivert(consultation, 'town', rule);
    expect(out).toContain(`    divert: '${rule}'`);
    expect(out.split('\n').length).toBe(consultation.split('\n').length);
  });
  it('writes the valid-from day as a plain date on its own line, and takes it out', () => {
    const out = setValidFrom(consultation, '2027-01-01');
    expect(out).toMatch(/\nvalid_from: 2027-01-01\n/);
    expect(changed(consultation, out).length).toBeLessThanOrEqual(1);
    expect(setValidFrom(out, undefined)).not.toContain('valid_from:');
  });
});
