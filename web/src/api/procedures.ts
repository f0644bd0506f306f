import { useQuery } from '@tanstack/react-query';
import { api, data } from './client';
import type { CaseDetail } from './queries';
import type { components } from './schema';

// The procedures' definitions, which the case and registration pages draw from: kept apart from
// queries.ts, which the queue page loads first.

export type Procedure = components['schemas']['Procedure'];

/** useProcedureVersion is a procedure version's definition (steps, outcomes, form); a published version never changes. */
export function useProcedureVersion(key: string | undefined, version: number | undefined) {
  return useQuery({
    queryKey: ['procedure', key, version],
    enabled: !!key && !!version,
    queryFn: async ({ signal }) =>
      data(
        await api.GET('/v1/procedures/{key}/versions/{version}', {
          params: { path: { key: key!, version: version! } },
          signal,
        }),
      ).procedure,
    staleTime: Infinity,
  });
}

/**
 * useCaseProcedure is the definition a case runs on: its procedure version, with its county's
 * override applied when it runs on one (the county's added form fields, deadlines, diversion).
 * Both never change.
 */
export function useCaseProcedure(kase: Pick<CaseDetail, 'id' | 'procedure_key' | 'procedure_version' | 'override_version'>) {
  const plain = useProcedureVersion(kase.override_version ? undefined : kase.procedure_key, kase.procedure_version);
  const adjusted = useQuery({
    queryKey: ['case-procedure', kase.id],
    enabled: !!kase.override_version,
    queryFn: async ({ signal }) =>
      data(await api.GET('/v1/cases/{id}/procedure', { params: { path: { id: kase.id } }, signal })).procedure,
    staleTime: Infinity,
  });
  return kase.override_version ? adjusted : plain;
}

/**
 * useEffectiveProcedure is what a case of the procedure registered today at the user's unit starts
 * on: the version in force with the county's changes (its added form fields among them).
 */
export function useEffectiveProcedure(key: string | undefined) {
  return useQuery({
    queryKey: ['procedure', key, 'effective'],
    enabled: !!key,
    queryFn: async ({ signal }) =>
      data(await api.GET('/v1/procedures/{key}/effective', { params: { path: { key: key! } }, signal })).procedure,
    staleTime: 5 * 60_000,
  });
}

/** useProcedures lists the procedures with the version new cases start on today. */
export function useProcedures() {
  return useQuery({
    queryKey: ['procedures'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/procedures', { signal })).procedures ?? [],
    staleTime: 5 * 60_000,
  });
}
