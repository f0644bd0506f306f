import { describe, expect, it } from 'vitest';
import { childLevel, countyScoped, departmentBody, filterTree, openKeys, parentLevel, unitBody, unitOptions, unitTree, userBody } from './org';
import { placeProblems } from '../components/problems';
import type { OrgUnit } from './queries';

// A county's administrator sees their county: the government unit is the root, its parent (the city) is not listed.
const units: OrgUnit[] = [
  { code: 'wushen-gov', name: '乌审旗委旗政府', level: 'government', parent: 'ordos', number_prefix: 'WS' },
  { code: 'wushen', name: '乌审旗综治中心', name_en: 'Wushen Banner Center', level: 'banner', parent: 'wushen-gov' },
  { code: 'galutu', name: '嘎鲁图镇', name_en: 'Galutu', level: 'town', parent: 'wushen' },
  { code: 'tuke', name: '图克镇', name_en: 'Tuke', level: 'town', parent: 'wushen' },
  { code: 'galutu-v01', name: '萨如拉社区', name_en: 'Sarula Community', level: 'village', parent: 'galutu' },
  { code: 'galutu-v01-g1', name: '萨如拉社区第一社组', level: 'group', parent: 'galutu-v01' },
];

describe('the org tree', () => {
  it('hangs each unit under its parent, the units whose parent is not listed at the top', () => {
    const tree = unitTree(units, false);
    expect(tree.map((n) => n.key)).toEqual(['wushen-gov']);
    const banner = tree[0]!.children![0]!;
    expect(banner).toMatchObject({ key: 'wushen', title: '乌审旗综治中心', level: 'banner' });
    expect(banner.children!.map((n) => n.key)).toEqual(['galutu', 'tuke']);
    expect(banner.children![0]!.children![0]!.children![0]!.key).toBe('galutu-v01-g1');
    expect(banner.children![1]!.children).toBeUndefined();
  });

  it('names the units in English when the page is, in Chinese when a unit has no English name', () => {
    const tree = unitTree(units, true);
    expect(tree[0]!.title).toBe('乌审旗委旗政府');
    expect(tree[0]!.children![0]!.title).toBe('Wushen Banner Center');
  });

  it('puts a unit whose parents loop back to it at the top rather than losing it', () => {
    const loop: OrgUnit[] = [
      { code: 'a', name: 'A', level: 'town', parent: 'b' },
      { code: 'b', name: 'B', level: 'town', parent: 'a' },
    ];
    expect(unitTree(loop, false).map((n) => n.key).sort()).toEqual(['a', 'b']);
  });

  it('keeps the matches of a search with the units above them, opened', () => {
    const tree = unitTree(units, false);
    const { tree: shown, expand } = filterTree(tree, units, 'sarula');
    expect(shown.map((n) => n.key)).toEqual(['wushen-gov']);
    const town = shown[0]!.children![0]!.children!;
    expect(town.map((n) => n.key)).toEqual(['galutu']);
    // The group below the match does not match: it is left out.
    expect(town[0]!.children!.map((n) => n.key)).toEqual(['galutu-v01']);
    expect(town[0]!.children![0]!.children).toBeUndefined();
    expect(expand.sort()).toEqual(['galutu', 'wushen', 'wushen-gov']);
    expect(filterTree(tree, units, '图克').tree[0]!.children![0]!.children!.map((n) => n.key)).toEqual(['tuke']);
    expect(filterTree(tree, units, 'nowhere').tree).toEqual([]);
    expect(filterTree(tree, units, '  ').tree).toBe(tree);
  });

  it('offers the units to pick in the tree\'s order, each with its parent\'s name', () => {
    expect(unitOptions(unitTree(units, false))).toEqual([
      { value: 'wushen-gov', label: '乌审旗委旗政府' },
      { value: 'wushen', label: '乌审旗综治中心 · 乌审旗委旗政府' },
      { value: 'galutu', label: '嘎鲁图镇 · 乌审旗综治中心' },
      { value: 'galutu-v01', label: '萨如拉社区 · 嘎鲁图镇' },
      { value: 'galutu-v01-g1', label: '萨如拉社区第一社组 · 萨如拉社区' },
      { value: 'tuke', label: '图克镇 · 乌审旗综治中心' },
    ]);
  });

  it('knows a county cut out of a larger organisation from the whole of it', () => {
    expect(countyScoped(units)).toBe(true);
    expect(countyScoped([{ code: 'ordos', name: '鄂尔多斯市', level: 'city' }, ...units])).toBe(false);
  });

  it('opens the tree down to the towns at first', () => {
    expect(openKeys(units)).toEqual(['wushen-gov', 'wushen']);
  });

  it('knows the level below and above each level', () => {
    expect(childLevel('town')).toBe('village');
    expect(childLevel('government')).toBe('banner');
    expect(childLevel('group')).toBeUndefined();
    expect(parentLevel('village')).toBe('town');
    expect(parentLevel('province')).toBeUndefined();
  });
});

describe('the forms', () => {
  it('store a new unit at the level below its parent, the prefix only on a government unit', () => {
    expect(unitBody({ code: 'e2e-v', name: ' 新村 ', name_en: '', parent: 'galutu', number_prefix: 'xx' }, 'village')).toEqual({
      name: '新村', name_en: undefined, level: 'village', parent: 'galutu', number_prefix: undefined,
    });
    expect(unitBody({ code: 'x-gov', name: '新旗', parent: 'ordos', number_prefix: ' xq ' }, 'government')).toMatchObject({ number_prefix: 'XQ' });
  });

  it('send response hours only for an on-call department', () => {
    expect(departmentBody({ code: 'housing', name: '住建局', mode: 'on_call', response_hours: 12 })).toEqual({
      name: '住建局', name_en: undefined, mode: 'on_call', response_hours: 12,
    });
    expect(departmentBody({ code: 'police', name: '公安局', mode: 'resident', response_hours: 12 }).response_hours).toBeUndefined();
  });

  it('send a department only for department staff, and the posts that name a role', () => {
    expect(
      userBody({
        id: 'u1', name: '张三', role: 'clerk', org_unit: 'galutu', department: 'justice',
        posts: [{ role: 'department', org_unit: 'wushen', department: 'justice' }, { role: 'clerk', org_unit: 'tuke', department: 'police' }, {}],
      }),
    ).toEqual({
      name: '张三', role: 'clerk', org_unit: 'galutu', department: undefined,
      posts: [{ role: 'department', org_unit: 'wushen', department: 'justice' }, { role: 'clerk', org_unit: 'tuke', department: undefined }],
    });
  });
});

describe('a refusal', () => {
  const fields = ['id', 'name', 'role', 'org_unit', 'department', 'posts'];

  it('is shown at the fields its messages name', () => {
    const { placed, rest } = placeProblems({
      status: 422, title: 'Unprocessable Entity', detail: 'validation failed',
      errors: [
        { location: 'body.org_unit', message: '此人有在办任务 WS-1/accept，请先移交' },
        { location: 'body.posts[1].department', message: '未知部门' },
        { location: 'path.id', message: '账号格式不对' },
        { location: 'body.org_unit', message: '第二条' },
        { location: 'body.level', message: '不能改变层级' },
      ],
    }, 'HTTP 422', fields);
    expect(placed).toEqual([
      { name: ['org_unit'], errors: ['此人有在办任务 WS-1/accept，请先移交', '第二条'] },
      { name: ['posts', 1, 'department'], errors: ['未知部门'] },
      { name: ['id'], errors: ['账号格式不对'] },
    ]);
    expect(rest).toEqual(['不能改变层级']);
  });

  it('without located messages (a 409) says its detail above the buttons', () => {
    expect(placeProblems({ status: 409, title: 'Conflict', detail: '此人认领了 2 个任务' }, 'HTTP 409', fields)).toEqual({ placed: [], rest: ['此人认领了 2 个任务'] });
    expect(placeProblems(undefined, 'Failed to fetch', fields).rest).toEqual(['Failed to fetch']);
  });
});
