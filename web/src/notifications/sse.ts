// The event stream is read with fetch and a ReadableStream reader, not with EventSource: the
// browser's EventSource cannot send headers, and the API authenticates only by the
// `Authorization: Bearer` header (api/api.go), never by cookie or query parameter (a token in a
// URL would land in proxy and server logs). Parsing server-sent events is thirty lines, so we keep
// them here instead of a dependency (@microsoft/fetch-event-source does the same, plus retry
// policy we want to own: see feed.ts). fetch streaming, TextDecoder and AbortController are all
// in Chromium 87.

/** SseEvent is one dispatched server-sent event. */
export interface SseEvent {
  /** The event name; `message` when the server named none. */
  event: string;
  data: string;
  /** The event's id, when it carried one. */
  id?: string;
}

/**
 * SseParser turns the text of a server-sent-events stream, in chunks cut anywhere, into events,
 * as the HTML standard's "event stream interpretation" says: lines end with CRLF, LF or CR; a
 * blank line dispatches; `data` lines join with LF; lines starting with a colon are comments.
 */
export class SseParser {
  private buf = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private sawCR = false;

  constructor(private readonly on: (e: SseEvent) => void) {}

  push(chunk: string): void {
    let text = chunk;
    // A CR ending the previous chunk and an LF starting this one are one line ending.
    if (this.sawCR && text.startsWith('\n')) text = text.slice(1);
    this.sawCR = false;
    this.buf += text;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buf);
      if (!m) break;
      if (m[0] === '\r' && m.index === this.buf.length - 1) {
        // Maybe the first half of a CRLF cut between chunks: take the line, skip a leading LF next time.
        this.sawCR = true;
      }
      const line = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + m[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.on({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

/** StreamError is a stream the server refused (status) or that could not be read. */
export class StreamError extends Error {
  constructor(readonly status: number) {
    super(`event stream: HTTP ${status}`);
    this.name = 'StreamError';
  }
}

/**
 * openEventStream reads the server-sent events of url with the bearer token, resuming after
 * lastEventId, until the server ends the stream (resolves), it fails (rejects) or signal aborts.
 */
export async function openEventStream(
  url: string,
  token: string,
  lastEventId: string | undefined,
  signal: AbortSignal,
  on: (e: SseEvent) => void,
  post?: string,
): Promise<void> {
  const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
  if (post) headers['OneDoor-Post'] = post;
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const r = await fetch(url, { headers, signal, cache: 'no-store' });
  if (!r.ok || !r.body) throw new StreamError(r.status);
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser(on);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.releaseLock();
  }
}
