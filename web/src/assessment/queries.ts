import { useQuery } from '@tanstack/react-query';
import { api, ApiError, data, type Problem } from '../api/client';
import type { paths } from '../api/schema';

export type AssessmentQuery = NonNullable<paths['/v1/assessment']['get']['parameters']['query']>;
export type Assessment = paths['/v1/assessment']['get']['responses'][200]['content']['application/json'];
export type AssessmentRow = NonNullable<Assessment['rows']>[number];

/** useAssessment is GET /v1/assessment: the 考评 of the units and stationed departments in scope. */
export function useAssessment(query: AssessmentQuery) {
  return useQuery({
    queryKey: ['assessment', query],
    queryFn: async ({ signal }) => data(await api.GET('/v1/assessment', { params: { query }, signal })),
    staleTime: 60_000,
  });
}

/** assessmentBook fetches the same assessment as the server's XLSX workbook, with the session's token (never in a URL). */
export async function assessmentBook(query: AssessmentQuery): Promise<Blob> {
  const r = await api.GET('/v1/assessment.xlsx', { params: { query }, parseAs: 'blob' });
  if (!r.response.ok || !r.data) throw new ApiError(r.response.status, r.error as Problem | undefined);
  return r.data as Blob;
}
