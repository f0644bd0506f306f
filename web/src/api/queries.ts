import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { api, ApiError, data } from './client';
import type { components, paths } from './schema';
import { calendarOf, type Calendar } from '../queue/timeLeft';

export type QueueItem = components['schemas']['QueueItem'];
export type CaseDetail = components['schemas']['CaseDetail'];
export type Profile = components['schemas']['Profile'];
export type QueueFilter = NonNullable<paths['/v1/tasks']['get']['parameters']['query']>;

/**
 * How long an answer counts as fresh: long enough that a page mounting right after its data was
 * loaded ahead (prefetch.ts) does not ask again, short enough never to show old work. Actions
 * reload what they change, whatever this says.
 */
const freshFor = 5_000;

/** The most tasks the queue page loads. */
const queueCap = 5000;
/** The queue's first page is small, so that it shows at once; the rest follows in larger pages. */
const firstPage = 100;
const laterPage = 500;

/**
 * useQueue loads the queue (earliest due first) for the filter: the first page, shown as soon as
 * it comes, then the others one after the other in the background up to queueCap, so that a
 * town's thousands of tasks never keep the first rows waiting.
 */
export function useQueue(filter: QueuePick) {
  const q = useInfiniteQuery(queueQuery(filter));
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = q;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage]);
  const items = useMemo(() => q.data?.pages.flatMap((p) => p.items ?? []), [q.data]);
  return { ...q, data: items, complete: !hasNextPage };
}

type QueuePick = Pick<QueueFilter, 'matter' | 'overdue' | 'status'>;

/** queueQuery is the queue's query for a filter, for useQueue and for loading it ahead (prefetch.ts). */
export function queueQuery(filter: QueuePick) {
  return infiniteQueryOptions({
    queryKey: ['queue', filter],
    initialPageParam: '',
    queryFn: async ({ pageParam, signal }) =>
      data(
        await api.GET('/v1/tasks', {
          params: { query: { ...filter, limit: pageParam ? laterPage : firstPage, cursor: pageParam || undefined } },
          signal,
        }),
      ),
    getNextPageParam: (last, pages) =>
      last.next && pages.reduce((n, p) => n + (p.items?.length ?? 0), 0) < queueCap ? last.next : undefined,
    refetchInterval: 60_000,
    // Fresh for a moment: the page that mounts right after a prefetch takes its answer as it is.
    staleTime: freshFor,
  });
}

/**
 * postHeader names the post a user of several posts acts in (OneDoor-Post), as the server's
 * queue item or offer said; none for everyone else, whom the server takes in their one post.
 */
function postHeader(post?: string): Record<string, string> {
  return post ? { 'OneDoor-Post': post } : {};
}

/** useClaim claims (or, with release, gives back) a task, then reloads the queue. */
export function useClaim() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ caseId, task, release, post }: { caseId: string; task: string; release?: boolean; post?: string }) => {
      const params = { params: { path: { case: caseId, task } }, headers: postHeader(post) };
      return data(
        release
          ? await api.POST('/v1/tasks/{case}/{task}/release', params)
          : await api.POST('/v1/tasks/{case}/{task}/claim', params),
      );
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ['queue'] }),
  });
}

/** useCase loads a case by id or number. */
export function useCase(id: string) {
  return useQuery(caseQuery(id));
}

/** caseQuery is a case's query, for useCase and for loading it ahead (prefetch.ts). */
export function caseQuery(id: string) {
  return queryOptions({
    queryKey: ['case', id],
    queryFn: async ({ signal }) => data(await api.GET('/v1/cases/{id}', { params: { path: { id } }, signal })),
    retry: (n, err) => n < 2 && !(err instanceof Error && 'status' in err && (err as { status: number }).status < 500),
    staleTime: freshFor,
  });
}

/** useCalendar is the working-day calendar (national notices and regional days) for time left. */
export function useCalendar() {
  return useQuery(calendarQuery);
}

/** calendarQuery is the calendar's query, for useCalendar and for loading it ahead (prefetch.ts). */
export const calendarQuery = queryOptions({
  queryKey: ['calendar'],
  queryFn: async ({ signal }): Promise<Calendar> => {
    const h = data(await api.GET('/v1/calendar/holidays', { signal }));
    return calendarOf([...(h.notices ?? []), { days: h.regional ?? [] }]);
  },
  staleTime: Infinity,
});

/** useMe is the signed-in user as the server knows them. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/me', { signal })),
    staleTime: 5 * 60_000,
  });
}

export type AuthConfig = components['schemas']['AuthConfigOutputBody'];

/** useAuthConfig is how this center signs in: its demo users, its OpenID Connect provider, or neither. */
export function useAuthConfig() {
  return useQuery({
    queryKey: ['auth-config'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/auth/config', { signal })),
    staleTime: Infinity,
  });
}

/** meWithToken is who a token belongs to, asked before the token is the session's. */
export async function meWithToken(token: string) {
  return data(await api.GET('/v1/me', { headers: { Authorization: `Bearer ${token}` } }));
}

/** useDevUsers lists the demo users; null when the server offers no demo sign-in. */
export function useDevUsers(enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['dev-users'],
    queryFn: async ({ signal }) => {
      const r = await api.GET('/v1/dev/users', { signal });
      if (r.response.status === 404) return null;
      return data(r).users ?? [];
    },
    retry: false,
  });
}

/** devToken signs in as a demo user. */
export async function devToken(user: string) {
  return data(await api.POST('/v1/dev/token', { body: { user } }));
}

export type AllowedAction = components['schemas']['AllowedAction'];
export type AuditEntry = components['schemas']['AuditEntry'];
export type ActionInput = components['schemas']['ActionInputBody'];
export type Task = components['schemas']['Task'];
export type CaseClock = components['schemas']['CaseClock'];
export type SupervisionOrder = components['schemas']['SupervisionOrder'];
export type Finding = components['schemas']['Finding'];
export type Explanation = components['schemas']['Explanation'];

/** useTimeline is a case's audit log, oldest first, with the names of its actors by id. */
export function useTimeline(id: string) {
  return useQuery({
    queryKey: ['case', id, 'timeline'],
    queryFn: async ({ signal }) => {
      const tl = data(await api.GET('/v1/cases/{id}/timeline', { params: { path: { id } }, signal }));
      return { entries: tl.entries ?? [], actors: tl.actors ?? {} };
    },
  });
}

/** useActions is what the signed-in user may do on the case now, as the server computes it. */
export function useActions(id: string) {
  return useQuery(actionsQuery(id));
}

/** actionsQuery is a case's offered actions' query, for useActions and for loading them ahead. */
export function actionsQuery(id: string) {
  return queryOptions({
    queryKey: ['case', id, 'actions'],
    queryFn: async ({ signal }) =>
      data(await api.GET('/v1/cases/{id}/actions', { params: { path: { id } }, signal })).actions ?? [],
    staleTime: freshFor,
  });
}

/**
 * useAct posts an action; on success the case, its timeline and its actions are loaded again, so
 * the page shows only what the server confirmed.
 */
export function useAct(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, post }: { body: ActionInput; post?: string }) =>
      data(await api.POST('/v1/cases/{id}/actions', { params: { path: { id } }, body, headers: postHeader(post) })),
    // A 409 means the page was behind the case: load what the server has now, too.
    onSettled: (_d, err) => {
      // Every query of the case: the page may have opened it by its number, the form acts by its id.
      if (!err || (err instanceof ApiError && err.status === 409)) void qc.invalidateQueries({ queryKey: ['case'] });
    },
  });
}

export type CreateCase = components['schemas']['CreateCaseInputBody'];


/** useRegister registers a matter; the form's Idempotency-Key makes a double click one case. */
export function useRegister() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: CreateCase; key: string }) =>
      data(await api.POST('/v1/cases', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['queue'] }),
  });
}
