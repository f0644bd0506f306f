import createClient, { type Middleware } from 'openapi-fetch';
import i18n from '../i18n';
import { getSession, signOut } from '../auth/session';
import type { components, paths } from './schema';

export type Problem = components['schemas']['ErrorModel'];

/** ApiError is a refused or failed request, with the server's problem+json when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

const auth: Middleware = {
  onRequest({ request }) {
    const s = getSession();
    if (s) request.headers.set('Authorization', `Bearer ${s.token}`);
    // The post chosen in the top bar, unless the request names the post of the task it is about.
    if (s?.post && !request.headers.has('OneDoor-Post')) request.headers.set('OneDoor-Post', s.post);
    request.headers.set('Accept-Language', i18n.language);
    return request;
  },
  onResponse({ response }) {
    // A token the server no longer accepts (expired, or the dev key was replaced): sign in again.
    if (response.status === 401 && getSession()) signOut();
    return response;
  },
};

/** api is the one client of the OneDoor API, typed by the server's own OpenAPI document. */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** data returns a response's body, or throws an ApiError carrying the server's problem. */
export function data<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.error !== undefined || r.data === undefined) {
    throw new ApiError(r.response.status, r.error as Problem | undefined);
  }
  return r.data;
}
