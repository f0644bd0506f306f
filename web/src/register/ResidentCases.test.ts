import { describe, expect, it } from 'vitest';
import { lookupBody } from './ResidentCases';

describe('lookupBody', () => {
  it('looks up only the numbers that are valid', () => {
    expect(lookupBody({ id_number: '15062719800101014X', phone: '13800138000' })).toEqual({ id_number: '15062719800101014X', phone: '13800138000' });
    // A number still being typed, or with a wrong check character, is not asked about.
    expect(lookupBody({ id_number: '1506271980', phone: '13800138000' })).toEqual({ phone: '13800138000' });
    expect(lookupBody({ id_number: '150627198001010140', phone: '138' })).toBeUndefined();
    expect(lookupBody({})).toBeUndefined();
  });
});
