import { describe, expect, it } from 'vitest';
import { expand, kindOf, marks, monthGrid, place, rowsOf, weekday, type Row } from './days';

describe('monthGrid', () => {
  it('starts the weeks on Monday and pads the month with empty cells', () => {
    // February 2027 starts on a Monday and has 28 days: four full weeks.
    const feb = monthGrid(2027, 2);
    expect(feb).toHaveLength(4);
    expect(feb[0]).toEqual(['2027-02-01', '2027-02-02', '2027-02-03', '2027-02-04', '2027-02-05', '2027-02-06', '2027-02-07']);
    // November 2026 starts on a Sunday: six empty cells, then the 1st; 30 days end on a Monday.
    const nov = monthGrid(2026, 11);
    expect(nov[0]).toEqual([null, null, null, null, null, null, '2026-11-01']);
    expect(nov).toHaveLength(6);
    expect(nov[5]).toEqual(['2026-11-30', null, null, null, null, null, null]);
  });
  it('knows leap years', () => {
    expect(monthGrid(2028, 2).flat().filter(Boolean)).toHaveLength(29);
    expect(weekday('2026-11-27')).toBe(4); // a Friday
  });
});

describe('kindOf', () => {
  const notice = {
    days: [
      { date: '2026-10-01', name: '国庆节', name_en: 'National Day' },
      { date: '2026-10-10', name: '国庆节调休上班', workday: true },
    ],
  };
  const regional = [{ date: '2026-07-11', name: '那达慕大会', region: '内蒙古自治区' }];
  const m = marks([notice], regional);

  it('tells holidays, make-up working days, regional holidays, weekends and working days apart', () => {
    expect(kindOf('2026-10-01', m)).toBe('holiday');
    expect(kindOf('2026-10-10', m)).toBe('makeup'); // a Saturday worked
    expect(kindOf('2026-07-11', m)).toBe('regional');
    expect(kindOf('2026-10-11', m)).toBe('weekend');
    expect(kindOf('2026-10-12', m)).toBe('workday');
    expect(m.get('2026-07-11')?.name).toBe('那达慕大会 (内蒙古自治区)');
    expect(marks([notice], [], true).get('2026-10-01')?.name).toBe('National Day');
  });
  it('lets a regional day win over the national one on the same date, as the server does', () => {
    const both = marks([notice], [{ date: '2026-10-10', name: '旗庆', region: '乌审旗' }]);
    expect(kindOf('2026-10-10', both)).toBe('regional');
  });
});

describe('the notice form', () => {
  const rows: Row[] = [
    { key: 0, from: '2027-01-01', to: '2027-01-03', name: '元旦', workday: false },
    { key: 1, from: '2027-02-03', to: '', name: '春节调休上班', workday: true },
    { key: 2, from: '2027-02-06', to: '2027-02-13', name: ' 春节 ', workday: false },
  ];

  it('expands a range to one day each and remembers the row of every day', () => {
    const { days, rowOf } = expand(rows);
    expect(days).toHaveLength(3 + 1 + 8);
    expect(days[3]).toEqual({ date: '2027-02-03', name: '春节调休上班', workday: true });
    expect(days[11]).toEqual({ date: '2027-02-13', name: '春节' });
    expect(rowOf).toEqual([0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
  });
  it('puts the server’s problems at the row that gave the day, and the fields’ at theirs', () => {
    const { rowOf } = expand(rows);
    const p = place([
      { location: 'body.days[3].date', message: 'a make-up working day must be a Saturday or a Sunday', value: '2027-02-03' },
      { location: 'body.days[11].date', message: 'listed twice' },
      { location: 'body.issued', message: 'not a date' },
      { location: 'path.year', message: 'out of range' },
    ], rowOf);
    expect(p.rows.get(1)).toEqual(['a make-up working day must be a Saturday or a Sunday']);
    expect(p.rows.get(2)).toEqual(['listed twice']);
    expect(p.rows.has(0)).toBe(false);
    expect(p.issued).toBe('not a date');
    expect(p.other).toEqual(['path.year: out of range']);
  });
  it('groups a stored notice back into rows', () => {
    const days = [
      { date: '2026-01-02', name: '元旦', name_en: "New Year's Day" },
      { date: '2026-01-01', name: '元旦', name_en: "New Year's Day" },
      { date: '2026-01-03', name: '元旦', name_en: "New Year's Day" },
      { date: '2026-01-04', name: '元旦调休上班', workday: true },
      { date: '2026-02-14', name: '春节调休上班', workday: true },
      { date: '2026-02-15', name: '春节' },
    ];
    expect(rowsOf(days)).toEqual([
      { key: 0, from: '2026-01-01', to: '2026-01-03', name: '元旦', name_en: "New Year's Day", workday: false },
      { key: 1, from: '2026-01-04', to: '', name: '元旦调休上班', workday: true },
      { key: 2, from: '2026-02-14', to: '', name: '春节调休上班', workday: true },
      { key: 3, from: '2026-02-15', to: '', name: '春节', workday: false },
    ]);
    expect(expand(rowsOf(days)).days.map((d) => d.date)).toEqual(days.map((d) => d.date).sort());
  });
});
