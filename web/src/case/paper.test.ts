import { describe, expect, it } from 'vitest';
import { parsePaper } from './paper';

const sha = 'a'.repeat(64);
const old = 'b'.repeat(64);

describe('parsePaper', () => {
  it('reads an upload, of an action, replacing another', () => {
    const e = parsePaper(
      'attach',
      `attachment id-2: 信访信, 签字版.pdf, application/pdf, 1200 bytes, sha256 ${sha}, of timeline entry 4; replaces attachment id-1: 信访信.pdf, application/pdf, 900 bytes, sha256 ${old}`,
    );
    expect(e?.paper).toEqual({ id: 'id-2', name: '信访信, 签字版.pdf', type: 'application/pdf', size: 1200, sha256: sha });
    expect(e?.action).toBe(4);
    expect(e?.replaces?.sha256).toBe(old);
  });
  it('reads a deletion with its reason', () => {
    const e = parsePaper('detach', `deleted attachment id-3: 照片.jpg, image/jpeg, 5000 bytes, sha256 ${sha}: 照片拍错了`);
    expect(e?.paper.name).toBe('照片.jpg');
    expect(e?.why).toBe('照片拍错了');
  });
  it('leaves other entries and hidden reasons alone', () => {
    expect(parsePaper('note', `attachment x: y, z, 1 bytes, sha256 ${sha}`)).toBeUndefined();
    expect(parsePaper('attach', '')).toBeUndefined();
  });
});
