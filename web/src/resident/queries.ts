import { useMutation, useQuery } from '@tanstack/react-query';
import { api, ApiError, data } from '../api/client';
import type { components } from '../api/schema';

export type ResidentStatus = components['schemas']['ResidentStatus'];
export type RatingView = components['schemas']['RatingView'];

/** HeldBack is a 429: the resident waits retryAfter seconds before asking again. */
export class HeldBack extends Error {
  readonly retryAfter: number;
  constructor(retryAfter: number) {
    super(`retry after ${retryAfter} s`);
    this.name = 'HeldBack';
    this.retryAfter = retryAfter;
  }
}

/** useStatus asks where a case stands, by its number and the last four digits of its phone (POST /v1/public/status). */
export function useStatus() {
  return useMutation({
    mutationFn: async (q: { number: string; phone_last4: string }): Promise<ResidentStatus> => {
      const r = await api.POST('/v1/public/status', { body: q });
      if (r.response.status === 429) throw new HeldBack(Number(r.response.headers.get('Retry-After')) || 60);
      return data(r);
    },
  });
}

/** useRatingLink reads what a rating link is for and whether it can still be used. */
export function useRatingLink(token: string) {
  return useQuery({
    queryKey: ['rating-link', token],
    queryFn: async ({ signal }) => data(await api.GET('/v1/public/rating/{token}', { params: { path: { token } }, signal })),
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 1,
  });
}

/** useRate records the resident's rating through the link, once. */
export function useRate(token: string) {
  return useMutation({
    mutationFn: async (body: { rating: number; comment?: string }) => {
      const r = await api.POST('/v1/public/rating/{token}', { params: { path: { token } }, body });
      if (r.response.status === 429) throw new HeldBack(Number(r.response.headers.get('Retry-After')) || 60);
      return data(r);
    },
  });
}
