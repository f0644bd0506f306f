import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/schema';

export type Conference = components['schemas']['Conference'];
export type ConveneBody = components['schemas']['ConferenceInputBody'];
export type HoldBody = components['schemas']['HoldInputBody'];

/** useConferences are the conferences convened in the caller's scope, latest first. */
export function useConferences() {
  return useQuery({
    queryKey: ['conferences'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/conferences', { signal })).items ?? [],
  });
}

/**
 * useConferenceWrites convenes, holds and cancels conferences; each changes cases too, so the
 * cases and the queue load again. A convening carries its Idempotency-Key, made once per form,
 * so that a retry after a lost answer convenes nothing twice.
 */
export function useConferenceWrites() {
  const qc = useQueryClient();
  const settled = () => {
    void qc.invalidateQueries({ queryKey: ['conferences'] });
    void qc.invalidateQueries({ queryKey: ['case'] });
    void qc.invalidateQueries({ queryKey: ['queue'] });
  };
  const convene = useMutation({
    mutationFn: async ({ body, key }: { body: ConveneBody; key: string }) =>
      data(await api.POST('/v1/conferences', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSettled: settled,
  });
  const hold = useMutation({
    mutationFn: async ({ id, body }: { id: string; body: HoldBody }) =>
      data(await api.POST('/v1/conferences/{id}/hold', { params: { path: { id } }, body })),
    onSettled: settled,
  });
  const cancel = useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      data(await api.POST('/v1/conferences/{id}/cancel', { params: { path: { id } }, body: { reason } })),
    onSettled: settled,
  });
  return { convene, hold, cancel };
}
