import { describe, expect, it } from 'vitest';
import { defaultFrom, done, mappingRows, placePlanProblems, planBody } from './plan';

const v1 = [{ id: 'intake', name: '受理' }, { id: 'verify', name: '核实' }, { id: 'handle', name: '办理' }];
const v2 = [{ id: 'intake', name: '受理' }, { id: 'check', name: '审查' }, { id: 'handle', name: '办理' }];

describe('mappingRows', () => {
  it('maps unchanged ids to themselves and asks for the rest', () => {
    const rows = mappingRows(v1, v2);
    expect(rows.same.map((s) => s.id)).toEqual(['intake', 'handle']);
    expect(rows.mapped.map((s) => s.id)).toEqual(['verify']);
  });
  it('asks for nothing between versions with the same steps', () => {
    expect(mappingRows(v2, v2).mapped).toEqual([]);
  });
});

describe('planBody', () => {
  const rows = mappingRows(v1, v2);
  it('sends only the rows given a target', () => {
    expect(planBody({ procedure: 'p', from: 1, to: 2, steps: { verify: 'check' } }, rows)).toEqual({ procedure: 'p', from: 1, to: 2, steps: { verify: 'check' } });
    expect(planBody({ procedure: 'p', from: 1, to: 2, steps: { verify: undefined } }, rows)).toEqual({ procedure: 'p', from: 1, to: 2 });
  });
  it('drops a row of a source version picked before', () => {
    expect(planBody({ procedure: 'p', from: 1, to: 2, steps: { verify: 'check', gone: 'check' } }, rows).steps).toEqual({ verify: 'check' });
  });
});

describe('placePlanProblems', () => {
  const rows = mappingRows(v1, v2);
  it('puts each refusal under its field, and a step without a row above the buttons', () => {
    const p = placePlanProblems({
      title: 'the migration plan has 3 problems', status: 422,
      errors: [
        { location: 'body.to', message: '目标版本与源版本都是第1版' },
        { location: 'body.steps.verify', message: '没有环节“gone”' },
        { location: 'body.steps.intake', message: '映射了同名环节' },
      ],
    }, 'x', rows);
    expect(p.placed).toEqual([
      { name: ['to'], errors: ['目标版本与源版本都是第1版'] },
      { name: ['steps', 'verify'], errors: ['没有环节“gone”'] },
    ]);
    expect(p.rest).toEqual(['映射了同名环节']);
  });
  it('shows the detail of a refusal at no field', () => {
    expect(placePlanProblems({ title: 'Forbidden', status: 403, detail: '只有管理员可以迁移' }, 'x', rows)).toEqual({ placed: [], rest: ['只有管理员可以迁移'] });
  });
});

describe('done', () => {
  it('counts moved, left and failed cases as settled', () => {
    expect(done({ total: 3, pending: 1, moved: 1, left: 0, failed: 1 })).toBe(66);
    expect(done({ total: 4, pending: 0, moved: 3, left: 1, failed: 0 })).toBe(100);
    expect(done({ total: 0, pending: 0, moved: 0, left: 0, failed: 0 })).toBe(100);
  });
});

describe('defaultFrom', () => {
  it('picks the other version with the most running cases', () => {
    const versions = [
      { version: 1, running: 5, status: 'retired' },
      { version: 2, running: 9, status: 'published' },
      { version: 3, running: 0, status: 'published' },
      { version: 4, running: 0, status: 'draft' },
    ];
    expect(defaultFrom(versions, 3)).toBe(2);
    expect(defaultFrom(versions, 2)).toBe(1);
    expect(defaultFrom([{ version: 1, running: 0, status: 'published' }, { version: 2, running: 0, status: 'published' }, { version: 3, running: 0, status: 'published' }], 3)).toBe(2);
    expect(defaultFrom([{ version: 1, running: 0, status: 'published' }], 1)).toBeUndefined();
  });
});
