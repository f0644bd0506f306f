import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/schema';

export type DoneItem = components['schemas']['DoneItem'];
export type CopiedItem = components['schemas']['CopiedItem'];
export type CaseSummary = components['schemas']['Case'];
export type BatchInput = components['schemas']['BatchInputBody'];
export type BatchResult = components['schemas']['BatchResult'];

/** useDone pages through the tasks I completed (已办), newest first. */
export function useDone() {
  return useInfiniteQuery({
    queryKey: ['lists', 'done'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      data(await api.GET('/v1/tasks/done', { params: { query: { limit: 50, cursor: pageParam } }, signal })),
    getNextPageParam: (p) => p.next || undefined,
  });
}

/** useMine pages through the cases I registered (我发起的), newest first. */
export function useMine() {
  return useInfiniteQuery({
    queryKey: ['lists', 'mine'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      data(await api.GET('/v1/cases', { params: { query: { mine: 'true', limit: 50, cursor: pageParam } }, signal })),
    getNextPageParam: (p) => p.next || undefined,
  });
}

/** useCopied pages through the cases copied to me (抄送我的), newest first. */
export function useCopied(unread: boolean) {
  return useInfiniteQuery({
    queryKey: ['lists', 'copied', unread],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      data(await api.GET('/v1/tasks/copied', { params: { query: { unread, limit: 50, cursor: pageParam } }, signal })),
    getNextPageParam: (p) => p.next || undefined,
  });
}

/** useMarkRead marks a case copied to me read. */
export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (caseId: string) => data(await api.POST('/v1/tasks/copied/{case}/read', { params: { path: { case: caseId } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: ['lists', 'copied'] }),
  });
}

/** useBatch applies one operation to several tasks; the key makes a double click one batch. */
export function useBatch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: BatchInput; key: string }) =>
      data(await api.POST('/v1/tasks/batch', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: ['queue'] }),
  });
}
