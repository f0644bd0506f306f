import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, data, type Problem } from '../api/client';
import type { components } from '../api/schema';
import type { NoticeDay } from './days';

export type Holiday = components['schemas']['Holiday'];
// Until the server's schema has them: who entered a notice and when.
export type Notice = components['schemas']['Notice'] & { entered_by?: string; entered_at?: string };
export interface NoticeBody {
  title: string;
  issued: string;
  days: NoticeDay[];
}
export type HolidayBody = components['schemas']['HolidayInputBody'];

// Under ['calendar'], so that saving here also reloads the calendar the queue counts time left with.
const key = ['calendar', 'admin'];

/** useHolidays is the calendar: the State Council notices of every year and the regional days the user sees. */
export function useHolidays() {
  return useQuery({
    queryKey: key,
    queryFn: async ({ signal }) => {
      const h = data(await api.GET('/v1/calendar/holidays', { signal }));
      return { notices: (h.notices ?? []) as Notice[], regional: h.regional ?? [] };
    },
  });
}

/** send makes a request the schema does not know yet and throws an ApiError with the server's problem. */
async function send<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
  // The client's middleware signs the request; its typed paths do not have the notices yet.
  const r = await (api as unknown as { request: (m: string, p: string, o: object) => Promise<{ data?: T; error?: unknown; response: Response }> })
    .request(method, path, body === undefined ? {} : { body });
  if (!r.response.ok) throw new ApiError(r.response.status, r.error as Problem | undefined);
  return r.data;
}

/** useCalendarWrites are the page's writes, each reloading the calendar. */
export function useCalendarWrites() {
  const qc = useQueryClient();
  const done = <T,>(v: T) => {
    void qc.invalidateQueries({ queryKey: ['calendar'] });
    return v;
  };
  return {
    putNotice: async (year: number, body: NoticeBody) => done(await send<Notice>('PUT', `/v1/calendar/notices/${year}`, body)),
    deleteNotice: async (year: number) => done(await send('DELETE', `/v1/calendar/notices/${year}`)),
    addHoliday: async (body: HolidayBody) => done(data(await api.POST('/v1/calendar/holidays', { body }))),
    deleteHoliday: async (date: string, region: string) => {
      const r = await api.DELETE('/v1/calendar/holidays/{date}', { params: { path: { date }, query: { region } } });
      if (!r.response.ok) throw new ApiError(r.response.status, r.error as Problem | undefined);
      done(undefined);
    },
  };
}

export { ApiError };
