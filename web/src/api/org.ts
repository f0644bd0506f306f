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

export type Colleague = components['schemas']['Colleague'];

/**
 * useColleagues are the people a picker offers: of the case's county when kase is set, else of
 * the user's, whose id or name contains q; the server searches, so a county of thousands is
 * never loaded whole.
 */
export function useColleagues(q: string, kase?: string) {
  return useQuery({
    queryKey: ['org-users', kase ?? '', q],
    queryFn: async ({ signal }) =>
      data(await api.GET('/v1/org/users', { params: { query: { q, case: kase, limit: 30 } }, signal })),
    staleTime: 60_000,
    placeholderData: (previous) => previous,
  });
}

/** useDepartments is the organisation's departments: the studio's completion, the finding's picker. */
export function useDepartments() {
  return useQuery({
    queryKey: ['departments'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/org/departments', { signal })).departments ?? [],
    staleTime: 10 * 60_000,
  });
}
