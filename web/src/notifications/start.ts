import type { QueryClient } from '@tanstack/react-query';
import { api, ApiError, data } from '../api/client';
import { Feed } from './feed';
import { openEventStream, StreamError } from './sse';
import { addItems, resetFeed, setMode } from './store';

/**
 * startFeed keeps the bell current for the signed-in user and, when a new notification comes,
 * reloads the supervision board, the queue and open case pages, so they change without a reload.
 * user names whose bell it is (the user id, and the post chosen for a user of several); post is
 * that post's key. It returns the function that stops it. (Its own chunk: the first page is drawn before it loads.)
 */
export function startFeed(token: string, user: string, qc: QueryClient, post?: string): () => void {
  resetFeed(user);
  let pending: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    // A burst (one notice to two units, a case going overdue on two steps) reloads once.
    clearTimeout(pending);
    pending = setTimeout(() => {
      for (const key of ['board', 'queue', 'case']) void qc.invalidateQueries({ queryKey: [key] });
    }, 250);
  };
  const feed = new Feed({
    open: (last, signal, on) => openEventStream(`${window.location.origin}/v1/events`, token, last, signal, on, post),
    poll: async (signal) =>
      data(await api.GET('/v1/notifications', { params: { query: { limit: 50 } }, signal })).items ?? [],
    onItems: (items, fresh) => {
      addItems(items);
      if (fresh) refresh();
    },
    onMode: setMode,
    unauthorized: (e) => (e instanceof StreamError || e instanceof ApiError) && e.status === 401,
  });
  feed.start();
  return () => {
    clearTimeout(pending);
    feed.stop();
  };
}
