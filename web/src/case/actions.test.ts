import { describe, expect, it } from 'vitest';
import { fieldOf, fieldsOf, problemsByField } from './actions';

describe('action forms', () => {
  it('asks for what the action needs, in a fixed order, and nothing it does not know', () => {
    expect(fieldsOf(['reason', 'target', 'data'])).toEqual(['target', 'reason']);
    expect(fieldsOf(null)).toEqual([]);
  });

  it('puts a 422 problem under the field its location names', () => {
    expect(fieldOf('body.reason')).toBe('reason');
    expect(fieldOf('body.extension.amount')).toBe('extension');
    expect(fieldOf('body.departments[1]')).toBe('departments');
    expect(fieldOf('path.id')).toBeUndefined();
    expect(
      problemsByField(
        [
          { location: 'body.reason', message: '请填写原因' },
          { location: 'body.data.phone', message: '电话号码不正确' },
          { message: '请求有误' },
        ],
        ['reason'],
      ),
    ).toEqual({ reason: ['请填写原因'], '': ['电话号码不正确', '请求有误'] });
  });
});
