import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { nameOf, postKey, postName, profileNames } from './names';

describe('postName', () => {
  it('says the role and the unit or department of a post key, in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(postName(i18n.t, 'clerk@galutu')).toBe('窗口受理员 · galutu');
    expect(postName(i18n.t, 'department:justice@wushen')).toBe('部门工作人员 · justice');
  });

  it('names the unit or department when the names are known, in the page language', async () => {
    await i18n.changeLanguage('zh-CN');
    const names = profileNames({
      id: 'justice-galutu', name: '司法所干部', role: 'clerk', org_unit: 'galutu', org_unit_name: '嘎鲁图镇', org_unit_name_en: 'Galutu',
      posts: [{ role: 'department', org_unit: 'wushen', department: 'justice' }],
      names: { units: {}, departments: { justice: { name: '旗司法局', name_en: 'Justice Bureau' } } },
    });
    expect(postName(i18n.t, 'clerk@galutu', names, 'zh-CN')).toBe('窗口受理员 · 嘎鲁图镇');
    expect(postName(i18n.t, 'department:justice@wushen', names, 'zh-CN')).toBe('部门工作人员 · 旗司法局');
    expect(nameOf(names, 'units', 'galutu', 'en')).toBe('Galutu');
    expect(nameOf(names, 'units', 'tuke', 'zh-CN')).toBe('tuke');
  });
});

describe('postKey', () => {
  it('writes a post as the server keys it', () => {
    expect(postKey({ role: 'clerk', org_unit: 'galutu' })).toBe('clerk@galutu');
    expect(postKey({ role: 'department', org_unit: 'wushen', department: 'justice' })).toBe('department:justice@wushen');
  });
});
