import { beforeEach, describe, expect, it } from 'vitest';
import type { Notification } from './feed';
import { addItems, getFeed, markSeen, resetFeed, unread } from './store';

const item = (id: number): Notification => ({
  id, kind: 'overdue', case_id: `c${id}`, case_number: `WS-${id}`, message: '', role: 'supervisor', at: '2026-11-26T10:00:00+08:00',
});

describe('the bell’s store', () => {
  beforeEach(() => {
    localStorage.clear();
    resetFeed('supervisor-galutu');
  });

  it('lists notifications newest first, once each, and counts those newer than the newest seen', () => {
    addItems([item(2), item(5)]);
    addItems([item(3), item(5)]);
    expect(getFeed().items.map((x) => x.id)).toEqual([5, 3, 2]);
    expect(unread(getFeed())).toBe(3);
    markSeen('supervisor-galutu');
    expect(unread(getFeed())).toBe(0);
    addItems([item(9)]);
    expect(unread(getFeed())).toBe(1);
  });

  it('remembers what a user has seen across sessions, per user', () => {
    addItems([item(7)]);
    markSeen('supervisor-galutu');
    resetFeed('supervisor-galutu');
    addItems([item(7), item(8)]);
    expect(unread(getFeed())).toBe(1);
    resetFeed('supervisor-banner');
    addItems([item(7), item(8)]);
    expect(unread(getFeed())).toBe(2);
  });

  it('keeps the newest fifty', () => {
    addItems(Array.from({ length: 60 }, (_, i) => item(i + 1)));
    expect(getFeed().items).toHaveLength(50);
    expect(getFeed().items[49]!.id).toBe(11);
  });
});
