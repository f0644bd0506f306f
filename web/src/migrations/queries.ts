import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/schema';
import type { PlanBody } from './plan';

export type PlanItem = components['schemas']['MigrationPlanItem'];
export type Plan = components['schemas']['MigrationPlanBody'];
export type CaseItem = components['schemas']['MigrationItemBody'];
export type ItemStatus = CaseItem['status'];
export type Explanation = components['schemas']['Explanation'];

/** How often a plan being applied is read again, for its progress. */
const POLL_MS = 1000;

/** useMigrationPlans are the plans within the administrator's scope, newest first, a page at a time. */
export function useMigrationPlans() {
  return useInfiniteQuery({
    queryKey: ['migrations', 'list'],
    initialPageParam: '',
    queryFn: async ({ pageParam, signal }) =>
      data(await api.GET('/v1/admin/migrations', { params: { query: { cursor: pageParam || undefined, limit: 50 } }, signal })),
    getNextPageParam: (last) => last.next || undefined,
    // A plan applying moves on by itself.
    refetchInterval: (q) => (q.state.data?.pages.some((p) => (p.items ?? []).some((x) => x.status === 'applying')) ? POLL_MS * 3 : false),
  });
}

/**
 * useMigrationPlan is a plan with its progress and its cases (of one status when status is
 * set), a page at a time; read again every second while it is being applied.
 */
export function useMigrationPlan(id: number, status?: ItemStatus) {
  return useInfiniteQuery({
    queryKey: ['migrations', 'plan', id, status ?? ''],
    initialPageParam: '',
    queryFn: async ({ pageParam, signal }) =>
      data(await api.GET('/v1/admin/migrations/{id}', {
        params: { path: { id }, query: { status, cursor: pageParam || undefined, limit: 200 } }, signal,
      })),
    getNextPageParam: (last) => last.next || undefined,
    refetchInterval: (q) => (q.state.data?.pages[0]?.status === 'applying' ? POLL_MS : false),
  });
}

/** useProcedures is the latest version of every procedure the administrator sees (the studio's list). */
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

/** useProcedureSteps are the steps of one version of a procedure, for the plan's mapping and names. */
export function useProcedureSteps(key: string | undefined, version: number | undefined) {
  return useQuery({
    queryKey: ['studio', 'version', key, version],
    enabled: !!key && !!version,
    queryFn: async ({ signal }) =>
      data(await api.GET('/v1/procedures/{key}/versions/{version}', { params: { path: { key: key!, version: version! } }, signal })),
    select: (v) => v.procedure.steps ?? [],
    staleTime: 60_000,
  });
}

/** useMigrationWrites creates a plan (with its dry run) and applies one; each reloads the plans. */
export function useMigrationWrites() {
  const qc = useQueryClient();
  const reload = () => void qc.invalidateQueries({ queryKey: ['migrations'] });
  return {
    create: async (body: PlanBody) => {
      const plan = data(await api.POST('/v1/admin/migrations', { body }));
      reload();
      return plan;
    },
    apply: async (id: number) => {
      const plan = data(await api.POST('/v1/admin/migrations/{id}/apply', { params: { path: { id } } }));
      reload();
      return plan;
    },
  };
}
