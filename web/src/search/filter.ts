import type { paths } from '../api/schema';

export type CaseFilter = NonNullable<paths['/v1/cases']['get']['parameters']['query']>;

/** The search's filters, as they stand in the page's URL (and in GET /v1/cases). */
export const filterKeys = ['q', 'matter', 'status', 'level', 'org_unit', 'received_from', 'received_to', 'overdue', 'mine'] as const;
export type FilterKey = (typeof filterKeys)[number];
export type Filter = Partial<Record<FilterKey, string>>;

const enums: Partial<Record<FilterKey, readonly string[]>> = {
  status: ['open', 'closed'],
  level: ['group', 'village', 'town', 'banner', 'government'],
  overdue: ['true', 'false'],
  mine: ['true'],
};
const day = /^\d{4}-\d{2}-\d{2}$/;

/**
 * filterOf reads the filters from a URL's query: a bookmarked or shared search opens as it was.
 * A value the API would refuse (an unknown status, a malformed date) is dropped, not sent.
 */
export function filterOf(params: URLSearchParams): Filter {
  const f: Filter = {};
  for (const k of filterKeys) {
    const v = params.get(k)?.trim();
    if (!v) continue;
    if (enums[k] && !enums[k]!.includes(v)) continue;
    if ((k === 'received_from' || k === 'received_to') && !day.test(v)) continue;
    f[k] = v.slice(0, 100);
  }
  return f;
}

/** paramsOf writes the filters back into a URL query, in a stable order, without empty ones. */
export function paramsOf(f: Filter): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of filterKeys) if (f[k]) p.set(k, f[k]!);
  return p;
}

/** queryOf is the filter as GET /v1/cases and /v1/cases.csv take it. */
export function queryOf(f: Filter): CaseFilter {
  return f as CaseFilter;
}
