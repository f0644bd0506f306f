import { getSession } from '../auth/session';
import { actionsQuery, calendarQuery, caseQuery, queueQuery } from './queries';
import { queryClient } from './queryClient';

/**
 * prefetchFor starts loading what the page at path shows first, as the app starts: the
 * requests then run while the page's code loads and the shell draws, instead of after
 * (render-as-you-fetch). The pages ask for the same queries, and find them under way or done.
 * Only for a signed-in user; the others go to the sign-in page.
 */
export function prefetchFor(path: string): void {
  if (!getSession()) return;
  if (path === '/queue' || path === '/') {
    void queryClient.prefetchInfiniteQuery(queueQuery({}));
    void queryClient.prefetchQuery(calendarQuery);
    return;
  }
  const kase = /^\/cases\/([^/]+)$/.exec(path);
  if (kase) {
    const id = decodeURIComponent(kase[1]!);
    void queryClient.prefetchQuery(caseQuery(id));
    void queryClient.prefetchQuery(actionsQuery(id));
  }
}
