import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { api, ApiError, data, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { queryOf, type Filter } from './filter';

export type CaseRow = components['schemas']['Case'];

const pageSize = 50;

/** useSearch is GET /v1/cases for the filter, a page at a time (keyset: each page's next is the cursor of the one after). */
export function useSearch(f: Filter) {
  return useInfiniteQuery({
    queryKey: ['search', f],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      data(await api.GET('/v1/cases', { params: { query: { ...queryOf(f), cursor: pageParam, limit: pageSize } }, signal })),
    getNextPageParam: (last) => last.next || undefined,
  });
}

/** exportCSV fetches the search as CSV with the session's token (never in a URL) and returns it as a blob. */
export async function exportCSV(f: Filter): Promise<Blob> {
  const r = await api.GET('/v1/cases.csv', { params: { query: queryOf(f) }, parseAs: 'blob' });
  if (!r.response.ok || !r.data) throw new ApiError(r.response.status, r.error as Problem | undefined);
  return r.data as Blob;
}

/** useStepNames loads the procedure versions the rows run on, for their steps' names. */
export function useStepNames(rows: CaseRow[]) {
  const versions = [...new Set(rows.map((r) => `${r.procedure_key}@${r.procedure_version}`))];
  return useQueries({
    queries: versions.map((v) => {
      const [key, version] = v.split('@') as [string, string];
      return {
        queryKey: ['procedure', key, +version],
        queryFn: async ({ signal }: { signal: AbortSignal }) =>
          data(await api.GET('/v1/procedures/{key}/versions/{version}', { params: { path: { key, version: +version } }, signal })).procedure,
        staleTime: Infinity,
      };
    }),
    combine: (results) => {
      const names = new Map<string, { zh: string; en: string }>();
      results.forEach((r, i) => {
        for (const s of r.data?.steps ?? []) names.set(`${versions[i]}/${s.id}`, { zh: s.name, en: s.name_en || s.name });
      });
      return names;
    },
  });
}
