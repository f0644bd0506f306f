import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/schema';

export type ProcedureItem = components['schemas']['ProcedureListItem'];
export type VersionSummary = components['schemas']['ProcedureVersionSummary'];
export type VersionDetail = components['schemas']['ProcedureVersionDetail'];
export type Definition = components['schemas']['Procedure'];
export type Change = components['schemas']['Change'];
export type TryInput = components['schemas']['TryProcedureInputBody'];
export type TryOutput = components['schemas']['TryProcedureOutputBody'];
export type Validation = components['schemas']['ValidateProcedureOutputBody'];

/** useProcedures is the latest version of every procedure, with the version in force. */
export function useProcedures() {
  return useQuery({
    queryKey: ['studio', 'procedures'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/procedures', { signal })).procedures ?? [],
  });
}

/** useVersions is every version of one procedure, oldest first, each with its running cases. */
export function useVersions(key: string | undefined) {
  return useQuery({
    queryKey: ['studio', 'versions', key],
    enabled: !!key,
    queryFn: async ({ signal }) => data(await api.GET('/v1/procedures/{key}/versions', { params: { path: { key: key! } }, signal })).versions ?? [],
  });
}

/** version is one version with its YAML, read now. */
export async function version(key: string, v: number): Promise<VersionDetail> {
  return data(await api.GET('/v1/procedures/{key}/versions/{version}', { params: { path: { key, version: v } } }));
}

/** useVersion is one version with its YAML. */
export function useVersion(key: string, version: number) {
  return useQuery({
    queryKey: ['studio', 'version', key, version],
    queryFn: async ({ signal }) => data(await api.GET('/v1/procedures/{key}/versions/{version}', { params: { path: { key, version } }, signal })),
  });
}

export { useDepartments } from '../api/org';

/** validate checks YAML as publishing would, saving nothing. */
export async function validate(yaml: string, signal?: AbortSignal): Promise<Validation> {
  return data(await api.POST('/v1/procedures/validate', { body: { yaml }, signal }));
}

/** tryRules runs the YAML's rules on a sample case. */
export async function tryRules(body: TryInput): Promise<TryOutput> {
  return data(await api.POST('/v1/procedures/try', { body }));
}

/** diff is the changes from version from to version to. */
export async function diff(key: string, from: number, to: number): Promise<Change[]> {
  return data(await api.GET('/v1/procedures/{key}/diff', { params: { path: { key }, query: { from, to } } })).changes ?? [];
}

/** useStudioWrites are the writes of the studio, each refreshing what it changed. */
export function useStudioWrites() {
  const qc = useQueryClient();
  const done = <T,>(v: T) => {
    void qc.invalidateQueries({ queryKey: ['studio'] });
    return v;
  };
  return {
    /** save replaces the draft; revision is the one the text was edited from (412 when stale). */
    save: async (key: string, version: number, yaml: string, revision?: string) =>
      done(data(await api.PUT('/v1/procedures/{key}/versions/{version}', {
        params: { path: { key, version }, header: revision ? { 'If-Match': `"${revision}"` } : {} }, body: { yaml },
      }))),
    create: async (yaml: string) => done(data(await api.POST('/v1/procedures', { body: { yaml } }))),
    newDraft: async (key: string, from: number) => done(data(await api.POST('/v1/procedures', { body: { key, from } }))),
    publish: async (key: string, version: number) =>
      done(data(await api.POST('/v1/procedures/{key}/versions/{version}/publish', { params: { path: { key, version } } }))),
    retire: async (key: string, version: number) =>
      done(data(await api.POST('/v1/procedures/{key}/versions/{version}/retire', { params: { path: { key, version } } }))),
  };
}
