import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components, paths } from '../api/schema';

export type CourtImport = components['schemas']['CourtImport'];
export type CourtRow = components['schemas']['CourtRow'];
export type CourtIntake = components['schemas']['CourtIntake'];
export type CourtStatsQuery = NonNullable<paths['/v1/court/stats']['get']['parameters']['query']>;

/** useCourtStats are the referrals to the court of a period and what became of them. */
export function useCourtStats(query: CourtStatsQuery) {
  return useQuery({
    queryKey: ['court', 'stats', query],
    queryFn: async ({ signal }) => data(await api.GET('/v1/court/stats', { params: { query }, signal })),
  });
}

/** useCourtImports are the imports of the court's results made at the units in scope, newest first. */
export function useCourtImports() {
  return useQuery({
    queryKey: ['court', 'imports'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/court/imports', { signal })).items ?? [],
  });
}

/** useCourtIntake are the court's monthly counts of new civil and commercial cases entered in scope. */
export function useCourtIntake() {
  return useQuery({
    queryKey: ['court', 'intake'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/court/intake', { signal })).items ?? [],
  });
}

/** useImportCourt sends the court platform's export (CSV or XLSX); the figures and the lists load again. */
export function useImportCourt() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) =>
      data(
        await api.POST('/v1/court/results', {
          // The form is built here; the typed body only names its field.
          body: { file: '' },
          bodySerializer: () => {
            const fd = new FormData();
            fd.append('file', file, file.name);
            return fd;
          },
        }),
      ),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['court'] });
      void qc.invalidateQueries({ queryKey: ['stats'] }); // the cases the results closed
    },
  });
}

/** useSetIntake enters the court's count of a month (YYYY-MM) for the caller's county. */
export function useSetIntake() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ month, count }: { month: string; count: number }) =>
      data(await api.PUT('/v1/court/intake/{month}', { params: { path: { month } }, body: { civil_commercial: count } })),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['court'] });
    },
  });
}
