import { useQueries, useQuery } from '@tanstack/react-query';
import { api, ApiError, data } from '../api/client';
import type { paths } from '../api/schema';

export type StatsQuery = NonNullable<paths['/v1/stats']['get']['parameters']['query']>;
export type Stats = paths['/v1/stats']['get']['responses'][200]['content']['application/json'];

// A long period costs more than one request against the rate limit (a request more per 60
// days): a burst of breakdowns may meet 429, which waits and tries again.
const retry = (n: number, err: Error) => n < 4 && (!(err instanceof ApiError) || err.status === 429 || err.status >= 500);
const retryDelay = (n: number) => 1000 * (n + 1);

async function fetchStats(query: StatsQuery, signal: AbortSignal): Promise<Stats> {
  return data(await api.GET('/v1/stats', { params: { query }, signal }));
}

/** useStats are the figures of one selection. */
export function useStats(query: StatsQuery) {
  return useQuery({ queryKey: ['stats', query], queryFn: ({ signal }) => fetchStats(query, signal), retry, retryDelay, staleTime: 60_000 });
}

/** useStatsOf are the figures of several selections (weeks, units, matters), in their order; undefined until all are in. */
export function useStatsOf(queries: StatsQuery[]) {
  return useQueries({
    queries: queries.map((q) => ({
      queryKey: ['stats', q], queryFn: ({ signal }: { signal: AbortSignal }) => fetchStats(q, signal), retry, retryDelay, staleTime: 60_000,
    })),
    combine: (rs) => ({
      data: rs.every((r) => r.data) ? rs.map((r) => r.data!) : undefined,
      error: rs.find((r) => r.error)?.error ?? null,
    }),
  });
}
