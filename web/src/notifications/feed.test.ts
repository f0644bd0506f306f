import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Feed, type Mode, type Notification } from './feed';
import { StreamError, type SseEvent } from './sse';

function item(id: number): Notification {
  return { id, kind: 'overdue', case_id: `c${id}`, case_number: `WS-${id}`, message: '', role: 'supervisor', at: '2026-11-26T10:00:00+08:00' };
}

/** A fake server: each stream the feed opens, and what GET /v1/notifications answers. */
function fakeServer() {
  const streams: { lastEventId?: string; signal: AbortSignal; on: (e: SseEvent) => void; end: () => void; fail: (e: unknown) => void }[] = [];
  let listing: Notification[] = [];
  const polls: number[] = [];
  const got: { ids: number[]; fresh: boolean }[] = [];
  const modes: Mode[] = [];
  const feed = new Feed({
    open: (lastEventId, signal, on) =>
      new Promise<void>((end, fail) => {
        streams.push({ lastEventId, signal, on, end, fail });
        signal.addEventListener('abort', () => fail(new DOMException('aborted', 'AbortError')));
      }),
    poll: async () => {
      polls.push(Date.now());
      return listing;
    },
    onItems: (items, fresh) => got.push({ ids: items.map((x) => x.id), fresh }),
    onMode: (m) => modes.push(m),
    unauthorized: (e) => e instanceof StreamError && e.status === 401,
    silenceMs: 35_000,
    pollMs: 20_000,
    retryFirstMs: 5_000,
    retryMaxMs: 60_000,
  });
  return {
    feed, streams, polls, got, modes,
    list: (xs: Notification[]) => (listing = xs),
    last: () => streams[streams.length - 1]!,
    ping: () => streams[streams.length - 1]!.on({ event: 'ping', data: '{}' }),
    send: (x: Notification) => streams[streams.length - 1]!.on({ event: 'notification', data: JSON.stringify(x), id: String(x.id) }),
  };
}

describe('Feed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lists what came before once the stream is open, then takes each event as fresh', async () => {
    const s = fakeServer();
    s.list([item(3), item(2)]);
    s.feed.start();
    expect(s.feed.current).toBe('connecting');
    expect(s.polls).toHaveLength(0);
    s.ping();
    expect(s.feed.current).toBe('live');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.polls).toHaveLength(1);
    expect(s.got).toEqual([{ ids: [3, 2], fresh: false }]);
    s.send(item(4));
    s.send(item(4)); // the same one twice (a resumed stream): dispatched once
    expect(s.got[1]).toEqual({ ids: [4], fresh: true });
    expect(s.got).toHaveLength(2);
    // Pings keep it live: no polling while the stream works.
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(15_000);
      s.ping();
    }
    expect(s.feed.current).toBe('live');
    expect(s.polls).toHaveLength(1);
    expect(s.streams).toHaveLength(1);
    s.feed.stop();
  });

  it('falls back to polling when a proxy buffers the stream, and tries the stream again after the newest id', async () => {
    const s = fakeServer();
    s.list([item(7)]);
    s.feed.start();
    // Nothing, not even the first ping, for two ping intervals and a margin.
    await vi.advanceTimersByTimeAsync(34_999);
    expect(s.feed.current).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1);
    expect(s.feed.current).toBe('polling');
    expect(s.streams[0]!.signal.aborted).toBe(true);
    expect(s.polls).toHaveLength(1);
    expect(s.got).toEqual([{ ids: [7], fresh: false }]);
    // Polls every 20 s; a new notification found by a poll is fresh.
    s.list([item(8), item(7)]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(s.got[1]).toEqual({ ids: [8], fresh: true });
    // The stream was tried again 5 s after it was given up, resuming after the newest id.
    expect(s.streams).toHaveLength(2);
    expect(s.streams[1]!.lastEventId).toBe('7');
    // That one is silent too: the next try waits twice as long.
    await vi.advanceTimersByTimeAsync(35_000 - 15_000);
    expect(s.streams[1]!.signal.aborted).toBe(true);
    expect(s.feed.current).toBe('polling');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(s.streams).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.streams).toHaveLength(3);
    expect(s.last().lastEventId).toBe('8');
    // This one works: live again, and polling stops.
    s.ping();
    expect(s.feed.current).toBe('live');
    const polled = s.polls.length;
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(15_000);
      s.ping();
    }
    expect(s.polls.length).toBe(polled);
    expect(s.modes).toEqual(['polling', 'live']);
    s.feed.stop();
  });

  it('polls at once when the stream fails or is cut, and resets its delay after a stream that worked', async () => {
    const s = fakeServer();
    s.feed.start();
    s.ping();
    await vi.advanceTimersByTimeAsync(0);
    s.last().end(); // the server or a proxy closed it
    await vi.advanceTimersByTimeAsync(0);
    expect(s.feed.current).toBe('polling');
    expect(s.polls).toHaveLength(2); // the first listing, and one at once
    await vi.advanceTimersByTimeAsync(5_000);
    expect(s.streams).toHaveLength(2);
    s.last().fail(new StreamError(502));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.streams).toHaveLength(3);
    s.ping();
    s.last().end();
    await vi.advanceTimersByTimeAsync(5_000); // back to the first delay
    expect(s.streams).toHaveLength(4);
    s.feed.stop();
  });

  it('stops when the server no longer accepts the token', async () => {
    const s = fakeServer();
    s.feed.start();
    s.last().fail(new StreamError(401));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.feed.current).toBe('stopped');
    await vi.advanceTimersByTimeAsync(600_000);
    expect(s.streams).toHaveLength(1);
    expect(s.polls).toHaveLength(0);
  });

  it('ignores what an abandoned stream still delivers', async () => {
    const s = fakeServer();
    s.feed.start();
    const first = s.last();
    await vi.advanceTimersByTimeAsync(35_000);
    first.on({ event: 'notification', data: JSON.stringify(item(9)), id: '9' });
    expect(s.got.flatMap((g) => g.ids)).not.toContain(9);
    expect(s.feed.current).toBe('polling');
    s.feed.stop();
  });
});
