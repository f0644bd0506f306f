import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, data, type Problem } from '../api/client';
import type { components } from '../api/schema';

export type Holiday = components['schemas']['Holiday'];
export type Notice = components['schemas']['Notice'];
export type NoticeBody = components['schemas']['PutNoticeInputBody'];
export type HolidayBody = components['schemas']['HolidayInputBody'];

// Under ['calendar'], so that saving here also reloads the calendar the queue counts time left with.
const key = ['calendar', 'admin'];

/** useHolidays is the calendar: the State Council notices of every year and the regional days the user sees. */
export function useHolidays() {
  return useQuery({
    queryKey: key,
    queryFn: async ({ signal }) => {
      const h = data(await api.GET('/v1/calendar/holidays', { signal }));
      return { notices: h.notices ?? [], regional: h.regional ?? [] };
    },
  });
}

/** useCalendarWrites are the page's writes, each reloading the calendar. */
export function useCalendarWrites() {
  const qc = useQueryClient();
  const done = <T,>(v: T) => {
    void qc.invalidateQueries({ queryKey: ['calendar'] });
    return v;
  };
  return {
    putNotice: async (year: number, body: NoticeBody) =>
      done(data(await api.PUT('/v1/calendar/notices/{year}', { params: { path: { year } }, body }))),
    deleteNotice: async (year: number) => {
      const r = await api.DELETE('/v1/calendar/notices/{year}', { params: { path: { year } } });
      if (!r.response.ok) throw new ApiError(r.response.status, r.error as Problem | undefined);
      done(undefined);
    },
    addHoliday: async (body: HolidayBody) => done(data(await api.POST('/v1/calendar/holidays', { body }))),
    deleteHoliday: async (date: string, region: string) => {
      const r = await api.DELETE('/v1/calendar/holidays/{date}', { params: { path: { date }, query: { region } } });
      if (!r.response.ok) throw new ApiError(r.response.status, r.error as Problem | undefined);
      done(undefined);
    },
  };
}

export { ApiError };
