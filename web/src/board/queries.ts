import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, data } from '../api/client';
import { actionsQuery, caseQuery, type AllowedAction, type CaseDetail } from '../api/queries';

export type BoardKind = 'overdue' | 'due-soon';

/** The tasks listed per group: the board shows the most overdue (or soonest due) of each. */
const perGroup = 50;

/**
 * useBoard is one supervision board of the caller's scope. The notification feed reloads it
 * (['board']) when a notice comes; the interval only catches what the clock did quietly (a
 * task becoming due soon sends no notice).
 */
export function useBoard(kind: BoardKind, withinHours = 72) {
  return useQuery({
    queryKey: ['board', kind, kind === 'due-soon' ? withinHours : 0],
    queryFn: async ({ signal }) =>
      kind === 'overdue'
        ? data(await api.GET('/v1/supervision/overdue', { params: { query: { per_group: perGroup } }, signal }))
        : data(
            await api.GET('/v1/supervision/due-soon', {
              params: { query: { per_group: perGroup, within_hours: withinHours } },
              signal,
            }),
          ),
    refetchInterval: 60_000,
    // A refusal (403 for a clerk) is an answer, not a failure to try again.
    retry: (n, err) => n < 2 && !(err instanceof ApiError && err.status < 500),
  });
}

/** useUrge sends a supervision notice (催办) about several cases to the units holding them. */
export function useUrge() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { cases: string[]; message: string }) => data(await api.POST('/v1/supervision/urge', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['board'] }),
  });
}

/**
 * caseAndActions loads a case and what the user may do on it now, under the case page's query
 * keys (so an open case page shares them); the actions are always asked afresh, since the
 * server's answer is what the board's buttons follow.
 */
export async function caseAndActions(qc: QueryClient, id: string): Promise<[CaseDetail, AllowedAction[]]> {
  return Promise.all([
    qc.fetchQuery(caseQuery(id)),
    qc.fetchQuery({ ...actionsQuery(id), staleTime: 0 }),
  ]);
}
