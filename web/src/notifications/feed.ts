import type { components } from '../api/schema';
import type { SseEvent } from './sse';

export type Notification = components['schemas']['NotificationItem'];

/**
 * Mode says how the feed hears of notifications: `connecting` while the first stream opens,
 * `live` while a stream delivers events or pings, `polling` while it lists them every little
 * while because the stream failed, was cut, or a proxy buffers it; `stopped` once closed.
 */
export type Mode = 'connecting' | 'live' | 'polling' | 'stopped';

export interface FeedOptions {
  /** open reads the event stream from after lastEventId until it ends (resolves) or fails (rejects). */
  open: (lastEventId: string | undefined, signal: AbortSignal, on: (e: SseEvent) => void) => Promise<void>;
  /** poll lists the newest notifications. */
  poll: (signal: AbortSignal) => Promise<Notification[]>;
  /** onItems hears of notifications: fresh ones came after the feed's first listing. */
  onItems: (items: Notification[], fresh: boolean) => void;
  onMode?: (mode: Mode) => void;
  /** unauthorized says whether an error means the session is over: the feed then stops. */
  unauthorized?: (err: unknown) => boolean;
  /** The server pings every 15 s: a stream silent for two pings (and a margin) is buffered or dead. */
  silenceMs?: number;
  pollMs?: number;
  /** Delays before trying the stream again, doubling from first up to max. */
  retryFirstMs?: number;
  retryMaxMs?: number;
}

/**
 * Feed keeps the user's notifications current: by the server-sent-events stream while it works,
 * by polling GET /v1/notifications while it does not, trying the stream again later with a
 * growing delay. It dispatches each notification once (by id), and resumes a stream after the
 * newest one it has (Last-Event-ID), whether the stream or a poll brought it.
 */
export class Feed {
  private mode: Mode = 'connecting';
  private readonly known = new Set<number>();
  private lastId = 0;
  private listed = false;
  private stream: AbortController | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private poller: ReturnType<typeof setInterval> | undefined;
  private polling: AbortController | undefined;
  private delay: number;
  private readonly o: Required<Omit<FeedOptions, 'onMode' | 'unauthorized'>> & Pick<FeedOptions, 'onMode' | 'unauthorized'>;

  constructor(options: FeedOptions) {
    this.o = { silenceMs: 35_000, pollMs: 20_000, retryFirstMs: 5_000, retryMaxMs: 300_000, ...options };
    this.delay = this.o.retryFirstMs;
  }

  get current(): Mode {
    return this.mode;
  }

  start(): void {
    this.setMode('connecting');
    this.connect();
  }

  stop(): void {
    this.setMode('stopped');
    this.stream?.abort();
    this.polling?.abort();
    clearTimeout(this.watchdog);
    clearTimeout(this.retry);
    clearInterval(this.poller);
  }

  private stopped(): boolean {
    return this.mode === 'stopped';
  }

  private setMode(m: Mode): void {
    if (this.mode === m) return;
    this.mode = m;
    this.o.onMode?.(m);
  }

  private connect(): void {
    if (this.mode === 'stopped') return;
    const ac = new AbortController();
    this.stream = ac;
    this.arm(ac);
    this.o
      .open(this.lastId > 0 ? String(this.lastId) : undefined, ac.signal, (e) => this.event(ac, e))
      .then(
        () => this.lost(ac, undefined),
        (err: unknown) => this.lost(ac, err),
      );
  }

  /** arm (re)starts the silence timer of the stream ac. */
  private arm(ac: AbortController): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      ac.abort();
      this.lost(ac, undefined);
    }, this.o.silenceMs);
  }

  private event(ac: AbortController, e: SseEvent): void {
    if (ac !== this.stream || ac.signal.aborted || this.mode === 'stopped') return;
    this.arm(ac);
    if (this.mode !== 'live') {
      this.setMode('live');
      this.delay = this.o.retryFirstMs;
      clearInterval(this.poller);
      this.poller = undefined;
      // The stream is open, so nothing written from now on is missed: list what came before.
      if (!this.listed) void this.pollOnce();
    }
    if (e.event !== 'notification') return;
    try {
      // Written after the stream opened (or after the newest one we had): always fresh.
      this.take([JSON.parse(e.data) as Notification], true);
    } catch {
      // not JSON: not ours to show
    }
  }

  /** lost handles the end of the stream ac: it fell silent, ended or failed. */
  private lost(ac: AbortController, err: unknown): void {
    if (ac !== this.stream || this.mode === 'stopped') return;
    this.stream = undefined;
    clearTimeout(this.watchdog);
    if (err !== undefined && this.o.unauthorized?.(err)) {
      this.stop();
      return;
    }
    this.setMode('polling');
    if (this.poller === undefined) {
      void this.pollOnce();
      this.poller = setInterval(() => void this.pollOnce(), this.o.pollMs);
    }
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, this.o.retryMaxMs);
  }

  private async pollOnce(): Promise<void> {
    if (this.mode === 'stopped') return;
    this.polling?.abort();
    const ac = new AbortController();
    this.polling = ac;
    try {
      const items = await this.o.poll(ac.signal);
      if (ac.signal.aborted || this.stopped()) return;
      this.take(items, this.listed);
      this.listed = true;
    } catch (err) {
      if (!ac.signal.aborted && this.o.unauthorized?.(err)) this.stop();
      // otherwise the next poll tries again
    }
  }

  private take(items: Notification[], fresh: boolean): void {
    const add = items.filter((x) => !this.known.has(x.id));
    if (add.length === 0) return;
    for (const x of add) {
      this.known.add(x.id);
      this.lastId = Math.max(this.lastId, x.id);
    }
    this.o.onItems(add, fresh);
  }
}
