import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '../api/org';
import { unitsBelow } from './units';

const u = (code: string, level: string, parent?: string): OrgUnit => ({ code, name: code, level, parent });
const org = [
  u('gov', 'government'), u('banner', 'banner', 'gov'),
  u('galutu', 'town', 'banner'), u('sulide', 'town', 'banner'),
  u('galutu-v01', 'village', 'galutu'), u('galutu-v02', 'village', 'galutu'),
];

describe('unitsBelow, the units the statistics compare', () => {
  it('goes past a unit with one unit below it: the government compares the towns', () => {
    expect(unitsBelow(org).map((x) => x.code)).toEqual(['galutu', 'sulide']);
  });
  it('compares the units right below the one chosen', () => {
    expect(unitsBelow(org, 'galutu').map((x) => x.code)).toEqual(['galutu-v01', 'galutu-v02']);
  });
  it('shows a unit with none below it alone, and a town clerk’s scope from the town down', () => {
    expect(unitsBelow(org, 'galutu-v02').map((x) => x.code)).toEqual(['galutu-v02']);
    expect(unitsBelow(org.slice(4).concat(org[2]!)).map((x) => x.code)).toEqual(['galutu-v01', 'galutu-v02']);
    expect(unitsBelow([])).toEqual([]);
  });
});
