import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/schema';

export type CourtImport = components['schemas']['CourtImport'];
export type CourtRow = components['schemas']['CourtRow'];
export type CourtIntake = components['schemas']['CourtIntake'];

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
      void qc.invalidateQueries({ queryKey: ['stats'] });
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
      void qc.invalidateQueries({ queryKey: ['stats'] });
    },
  });
}
