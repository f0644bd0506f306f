import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { postName } from './names';

describe('postName', () => {
  it('says the role and the unit or department of a post key, in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(postName(i18n.t, 'clerk@galutu')).toBe('窗口受理员 · galutu');
    expect(postName(i18n.t, 'department:justice@wushen')).toBe('部门工作人员 · justice');
  });
});
