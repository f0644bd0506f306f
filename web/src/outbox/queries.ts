import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/schema';

export type Notice = components['schemas']['OutboxMessage'];
export type NoticeTemplate = components['schemas']['NoticeTemplate'];
export type OutboxFilter = { status?: 'pending' | 'sent' | 'failed'; channel?: 'sms' | 'webhook' };

/** useOutbox pages through the notices sent about the cases I may see, newest first. */
export function useOutbox(f: OutboxFilter) {
  return useInfiniteQuery({
    queryKey: ['outbox', f],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) =>
      data(await api.GET('/v1/outbox', { params: { query: { ...f, limit: 50, cursor: pageParam } }, signal })),
    getNextPageParam: (p) => p.next || undefined,
    refetchInterval: 10_000, // attempts go on in the background
  });
}

/** useTemplates lists the notice templates. */
export function useTemplates() {
  return useQuery({
    queryKey: ['notice-templates'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/notice-templates', { signal })).items,
  });
}

/** useSaveTemplate saves an administrator's text of a template. */
export function useSaveTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ key, body }: { key: NoticeTemplate['key']; body: string }) =>
      data(await api.PUT('/v1/notice-templates/{key}', { params: { path: { key } }, body: { body } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notice-templates'] }),
  });
}
