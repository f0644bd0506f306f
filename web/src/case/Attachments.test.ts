import { describe, expect, it } from 'vitest';
import { size } from './Attachments';

describe('size', () => {
  it('reads bytes as a person would', () => {
    expect(size(812)).toBe('812 B');
    expect(size(1536)).toBe('1.5 KB');
    expect(size(300 * 1024)).toBe('300 KB');
    expect(size(20 * 1024 * 1024)).toBe('20.0 MB');
  });
});
