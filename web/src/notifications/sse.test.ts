import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse';

function parse(...chunks: string[]): SseEvent[] {
  const out: SseEvent[] = [];
  const p = new SseParser((e) => out.push(e));
  for (const c of chunks) p.push(c);
  return out;
}

describe('SseParser', () => {
  it('reads the events huma sends: id, event and one data line each', () => {
    expect(
      parse('event: ping\ndata: {"at":"x"}\n\n', 'id: 42\nevent: notification\ndata: {"id":42}\n\n'),
    ).toEqual([
      { event: 'ping', data: '{"at":"x"}', id: undefined },
      { event: 'notification', data: '{"id":42}', id: '42' },
    ]);
  });

  it('joins data lines, skips comments, and names an unnamed event message', () => {
    expect(parse(': keep-alive\n', 'data: a\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a\nb', id: undefined }]);
  });

  it('takes chunks cut anywhere, CRLF cut between two chunks included', () => {
    const text = 'id: 1\r\nevent: notification\r\ndata: {"id":1}\r\n\r\n';
    for (let i = 1; i < text.length; i++) {
      expect(parse(text.slice(0, i), text.slice(i)), `cut at ${i}`).toEqual([{ event: 'notification', data: '{"id":1}', id: '1' }]);
    }
  });

  it('dispatches nothing until the blank line, and keeps the last id for the next events', () => {
    const out = parse('id: 5\ndata: x\n', '\ndata: y\n\n', 'data: z');
    expect(out).toEqual([
      { event: 'message', data: 'x', id: '5' },
      { event: 'message', data: 'y', id: '5' },
    ]);
  });
});
