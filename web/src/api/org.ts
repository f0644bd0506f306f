import { useQuery } from '@tanstack/react-query';
import { api, data } from './client';
import type { components } from './schema';

export type OrgUnit = components['schemas']['OrgUnit'];

/** useOrgUnits are the org units the signed-in user may filter by (their scope), highest level first. */
export function useOrgUnits() {
  return useQuery({
    queryKey: ['org-units'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/org/units', { signal })).units ?? [],
    staleTime: 10 * 60_000,
  });
}

/** orgUnitName is a unit's name in the page's language, its code when the unit is not known. */
export function orgUnitName(units: OrgUnit[] | undefined, code: string, en = false): string {
  const u = units?.find((x) => x.code === code);
  return (u && ((en && u.name_en) || u.name)) || code;
}
