import { describe, expect, it } from 'vitest';
import { chainOf, climbed, showGroups, total, unitsOf, urgeRefusals, type BoardGroup, type BoardItem } from './board';

function item(caseId: string, unit?: string): BoardItem {
  return {
    case_id: caseId, case_number: `WS-${caseId}`, matter: 'mediation', subject: 's', task_id: 't1', task_name: '调解',
    org_unit: unit, due_at: '2026-11-26T10:00:00+08:00', late_hours: 2, late_days: 1,
  };
}

const groups: BoardGroup[] = [
  { level: 'village', count: 3, items: [item('a', 'galutu-v01'), item('b', 'galutu-v02'), item('c', 'galutu-v01')] },
  { level: 'town', department: 'justice', count: 12, items: [item('d')] },
  { level: 'town', count: 1, items: [item('e', 'galutu')] },
];

describe('the board', () => {
  it('counts the listed tasks by unit, most first, a department’s under no unit', () => {
    expect(unitsOf(groups, [{ level: 'banner', count: 1, items: [item('f', 'galutu-v02')] }])).toEqual([
      { unit: 'galutu-v01', count: 2 },
      { unit: 'galutu-v02', count: 2 },
      { unit: '', count: 1 },
      { unit: 'galutu', count: 1 },
    ]);
    expect(unitsOf(undefined)).toEqual([]);
  });

  it('keeps the server’s groups in order, and filters them by unit, dropping those left empty', () => {
    expect(showGroups(groups).map((g) => [g.key, g.items.length, g.count])).toEqual([
      ['village/', 3, 3],
      ['town/justice', 1, 12],
      ['town/', 1, 1],
    ]);
    const v01 = showGroups(groups, 'galutu-v01');
    expect(v01.map((g) => g.key)).toEqual(['village/']);
    expect(v01[0]!.items.map((x) => x.case_id)).toEqual(['a', 'c']);
    expect(showGroups(groups, '').map((g) => g.key)).toEqual(['town/justice']);
  });

  it('totals the server’s counts, not only what is listed', () => {
    expect(total(groups)).toBe(16);
    expect(total(undefined)).toBe(0);
  });

  it('names the cases an urge refused by their place in the request', () => {
    expect(
      urgeRefusals(
        [
          { location: 'body.cases[1]', message: '该案件的待办任务由 banner 承办' },
          { location: 'body.message', message: 'too long' },
        ],
        ['WS-1', 'WS-2'],
      ),
    ).toEqual([
      { ref: 'WS-2', message: '该案件的待办任务由 banner 承办' },
      { ref: '', message: 'too long' },
    ]);
  });
});

type Task = Parameters<typeof chainOf>[0] extends readonly (infer T)[] | null | undefined ? T : never;

function task(id: string, level: string, unit: string | undefined, opened: string, closed?: string, extra: Partial<Task> = {}): Task {
  return {
    id, level, org_unit: unit, opened_at: opened, closed_at: closed, status: closed ? 'done' : 'open',
    step: 'mediate', name: '调解', kind: 'step', extensions: 0, overdue: false, priority: 'normal', suspended: false, warned: false,
    ...extra,
  } as Task;
}

describe('the chain of a case', () => {
  it('is each level and unit that held it, in the order the tasks opened, steps at one place merged', () => {
    const stops = chainOf([
      task('t3', 'town', 'galutu', '2026-11-26T10:05:00+08:00', '2026-11-26T10:06:00+08:00'),
      task('t1', 'village', 'galutu-v01', '2026-11-26T10:00:00+08:00', '2026-11-26T10:01:00+08:00'),
      task('t2', 'village', 'galutu-v01', '2026-11-26T10:01:00+08:00', '2026-11-26T10:05:00+08:00'),
      task('r1', 'town', undefined, '2026-11-26T10:05:30+08:00', undefined, { kind: 'report', department: 'justice' }),
      task('t4', 'banner', 'wushen-center', '2026-11-26T10:06:00+08:00'),
    ]);
    expect(stops).toEqual([
      { level: 'village', orgUnit: 'galutu-v01', from: '2026-11-26T10:00:00+08:00', to: '2026-11-26T10:05:00+08:00' },
      { level: 'town', orgUnit: 'galutu', from: '2026-11-26T10:05:00+08:00', to: '2026-11-26T10:06:00+08:00' },
      { level: 'banner', orgUnit: 'wushen-center', from: '2026-11-26T10:06:00+08:00', to: undefined },
    ]);
    expect(climbed(stops)).toBe(true);
  });

  it('shows a case handed back down as a stop of its own, and one that never moved as one stop', () => {
    const down = chainOf([
      task('t1', 'town', 'galutu', '2026-11-26T10:00:00+08:00', '2026-11-26T10:01:00+08:00'),
      task('t2', 'village', 'galutu-v01', '2026-11-26T10:01:00+08:00'),
    ]);
    expect(down.map((s) => s.level)).toEqual(['town', 'village']);
    expect(climbed(down)).toBe(false);
    expect(chainOf([task('t1', 'village', 'galutu-v01', '2026-11-26T10:00:00+08:00')])).toHaveLength(1);
    expect(chainOf(null)).toEqual([]);
  });
});
