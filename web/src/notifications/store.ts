import { useSyncExternalStore } from 'react';
import type { Mode, Notification } from './feed';

// The bell's state lives outside React so that the feed (loaded after the first page is drawn)
// can write it and the top bar read it; it holds only what the bell shows.

/** FeedState is the newest notifications (newest first), how they come, and the newest one seen. */
export interface FeedState {
  items: readonly Notification[];
  mode: Mode;
  /** The id of the newest notification the user has seen (opened the bell on): the rest are unread. */
  seen: number;
}

/** The most notifications kept for the bell's list. */
const keep = 50;

let state: FeedState = { items: [], mode: 'connecting', seen: 0 };
const listeners = new Set<() => void>();

function set(next: FeedState): void {
  state = next;
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function getFeed(): FeedState {
  return state;
}

/** useFeed is the bell's state; a component re-renders when it changes. */
export function useFeed(): FeedState {
  return useSyncExternalStore(subscribe, getFeed, getFeed);
}

// The newest seen id is kept per user in localStorage: what was read stays read in a new tab.
const seenKey = (user: string) => `onedoor.seen.${user}`;

/** resetFeed starts the bell afresh for a user, with what they had seen before. */
export function resetFeed(user: string): void {
  let seen = 0;
  try {
    seen = Number(localStorage.getItem(seenKey(user))) || 0;
  } catch {
    // storage refused: everything listed counts as unread
  }
  set({ items: [], mode: 'connecting', seen });
}

export function setMode(mode: Mode): void {
  if (state.mode !== mode) set({ ...state, mode });
}

/** addItems merges notifications into the list, newest (highest id) first. */
export function addItems(items: readonly Notification[]): void {
  const byId = new Map(state.items.map((x) => [x.id, x]));
  for (const x of items) byId.set(x.id, x);
  set({ ...state, items: [...byId.values()].sort((a, b) => b.id - a.id).slice(0, keep) });
}

/** unread counts the listed notifications newer than the newest one seen. */
export function unread(s: FeedState): number {
  return s.items.filter((x) => x.id > s.seen).length;
}

/** markSeen marks every listed notification read. */
export function markSeen(user: string): void {
  const newest = state.items[0]?.id ?? 0;
  if (newest <= state.seen) return;
  try {
    localStorage.setItem(seenKey(user), String(newest));
  } catch {
    // read for this page only
  }
  set({ ...state, seen: newest });
}
