import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, data } from '../api/client';
import type { components } from '../api/schema';

export type OverrideItem = components['schemas']['OverrideListItem'];
export type OverrideDetail = components['schemas']['OverrideDetail'];
export type OverrideBody = components['schemas']['OverrideBody'];
export type Period = components['schemas']['Period'];

/** useOverrides is the latest version of each override the user may read, of one county or all. */
export function useOverrides(county?: string) {
  return useQuery({
    queryKey: ['overrides', 'list', county],
    queryFn: async ({ signal }) =>
      data(await api.GET('/v1/overrides', { params: { query: { county } }, signal })).overrides ?? [],
  });
}

/**
 * useLatestOverride is the latest version of a county's override of a template with its
 * effective procedure and problems; null when the county has none.
 */
export function useLatestOverride(county: string | undefined, key: string) {
  return useQuery({
    queryKey: ['overrides', 'latest', county, key],
    enabled: !!county,
    queryFn: async ({ signal }): Promise<OverrideDetail | null> => {
      const path = { county: county!, key };
      const r = await api.GET('/v1/overrides/{county}/{key}/versions', { params: { path }, signal });
      if (r.response.status === 404) return null;
      const versions = data(r).versions ?? [];
      const last = versions[versions.length - 1];
      if (!last) return null;
      return data(await api.GET('/v1/overrides/{county}/{key}/versions/{version}', { params: { path: { ...path, version: last.version } }, signal }));
    },
  });
}

/** useCountyDepartments are the departments working in the county: those a diversion table may name. */
export function useCountyDepartments(county: string | undefined) {
  return useQuery({
    queryKey: ['departments', county],
    enabled: !!county,
    queryFn: async ({ signal }) =>
      data(await api.GET('/v1/org/departments', { params: { query: { county } }, signal })).departments ?? [],
    staleTime: 10 * 60_000,
  });
}

/** adoption is what the county's cases would see with the latest version's changes on template version template. */
export async function adoption(county: string, key: string, template: number) {
  return data(await api.GET('/v1/overrides/{county}/{key}/adoption', { params: { path: { county, key }, query: { template } } }));
}

/** useOverrideWrites are the writes of a county's override, each reloading the overrides. */
export function useOverrideWrites(county: string, key: string) {
  const qc = useQueryClient();
  const done = <T,>(v: T) => {
    void qc.invalidateQueries({ queryKey: ['overrides'] });
    return v;
  };
  const path = { county, key };
  return {
    create: async (body: OverrideBody) =>
      done(data(await api.POST('/v1/overrides/{county}/{key}/versions', { params: { path }, body }))),
    save: async (version: number, body: OverrideBody) =>
      done(data(await api.PUT('/v1/overrides/{county}/{key}/versions/{version}', { params: { path: { ...path, version } }, body }))),
    publish: async (version: number) =>
      done(data(await api.POST('/v1/overrides/{county}/{key}/versions/{version}/publish', { params: { path: { ...path, version } } }))),
  };
}

export { ApiError };
