import type { OrgUnit } from '../api/org';

/** unitsBelow are the units to compare: those right below the chosen one (or the top of the user's scope), past any unit that has only one. */
export function unitsBelow(units: OrgUnit[], chosen?: string): OrgUnit[] {
  const codes = new Set(units.map((u) => u.code));
  let base = chosen ?? units.find((u) => !u.parent || !codes.has(u.parent))?.code;
  for (let i = 0; i < 5 && base; i++) {
    const kids = units.filter((u) => u.parent === base);
    if (kids.length !== 1) return kids.length ? kids : units.filter((u) => u.code === base);
    base = kids[0]!.code;
  }
  return units.filter((u) => u.code === base);
}
