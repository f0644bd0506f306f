import type { OrgUnit, Post, UnitBody, User, UserBody, DepartmentBody } from './queries';

/** The levels of the organisation, highest first: a unit's children are of the level after its own. */
export const levels = ['province', 'city', 'government', 'banner', 'town', 'village', 'group'] as const;
export type Level = (typeof levels)[number];

/** childLevel is the level of the units under a unit of level; undefined below a group. */
export function childLevel(level: string): Level | undefined {
  const i = levels.indexOf(level as Level);
  return i < 0 ? undefined : levels[i + 1];
}

/** parentLevel is the level of a unit's parent; undefined above a province. */
export function parentLevel(level: string): Level | undefined {
  const i = levels.indexOf(level as Level);
  return i <= 0 ? undefined : levels[i - 1];
}

export const modes = ['resident', 'rotating', 'on_call'] as const;
export const roles = ['clerk', 'supervisor', 'department', 'grid', 'auditor', 'admin'] as const;

/** A node of the org tree as antd's Tree and TreeSelect draw it. */
export interface UnitNode {
  key: string;
  value: string;
  title: string;
  level: string;
  children?: UnitNode[];
}

/** unitLabel is a unit's name in the page's language. */
export function unitLabel(u: Pick<OrgUnit, 'name' | 'name_en'>, en: boolean): string {
  return (en && u.name_en) || u.name;
}

/**
 * unitTree arranges the flat unit list under its parents: the roots are the units whose parent
 * is not in the list (a county's administrator sees their county's government unit as the
 * root), children in the list's order. A unit whose parents loop back to it is a root.
 */
export function unitTree(units: readonly OrgUnit[], en: boolean): UnitNode[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const nodes = new Map<string, UnitNode>(
    units.map((u) => [u.code, { key: u.code, value: u.code, title: unitLabel(u, en), level: u.level }]),
  );
  const roots: UnitNode[] = [];
  for (const u of units) {
    const node = nodes.get(u.code)!;
    const parent = u.parent && byCode.has(u.parent) && !loops(byCode, u.code) ? nodes.get(u.parent)! : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

function loops(byCode: Map<string, OrgUnit>, code: string): boolean {
  const seen = new Set<string>();
  for (let c: string | undefined = code; c && byCode.has(c); c = byCode.get(c)!.parent) {
    if (seen.has(c)) return true;
    seen.add(c);
  }
  return false;
}

/**
 * filterTree keeps the units whose name, English name or code contains q (case aside) with the
 * units above them, and says which to expand to show every match; the whole tree when q is empty.
 */
export function filterTree(tree: UnitNode[], units: readonly OrgUnit[], q: string): { tree: UnitNode[]; expand: string[] } {
  const needle = q.trim().toLowerCase();
  if (!needle) return { tree, expand: [] };
  const byCode = new Map(units.map((u) => [u.code, u]));
  const hit = (n: UnitNode) => {
    const u = byCode.get(n.key);
    return [n.key, n.title, u?.name, u?.name_en].some((s) => s?.toLowerCase().includes(needle));
  };
  const expand: string[] = [];
  const walk = (nodes: UnitNode[]): UnitNode[] =>
    nodes.flatMap((n) => {
      const children = walk(n.children ?? []);
      if (children.length) expand.push(n.key);
      if (!hit(n) && !children.length) return [];
      return [{ ...n, children: children.length ? children : undefined }];
    });
  return { tree: walk(tree), expand };
}

/**
 * unitOptions are the units as a picker offers them, in the tree's order (each below its parent),
 * each named with its parent's name so that the many 第一社组 can be told apart.
 */
export function unitOptions(tree: UnitNode[]): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const walk = (nodes: UnitNode[], parent?: UnitNode) => {
    for (const n of nodes) {
      out.push({ value: n.key, label: parent ? `${n.title} · ${parent.title}` : n.title });
      walk(n.children ?? [], n);
    }
  };
  walk(tree);
  return out;
}

/**
 * countyScoped says whether the units are a county's, cut out of a larger organisation (the
 * server gives a county's administrator their county only): the top unit's parent is not among
 * them. Such an administrator changes neither the departments (every county's) nor units above.
 */
export function countyScoped(units: readonly OrgUnit[]): boolean {
  const codes = new Set(units.map((u) => u.code));
  return units.some((u) => u.parent && !codes.has(u.parent));
}

/** openKeys are the units to show opened at first: those above the towns, so the towns show. */
export function openKeys(units: readonly OrgUnit[]): string[] {
  const upper = new Set<string>(['province', 'city', 'government', 'banner']);
  return units.filter((u) => upper.has(u.level)).map((u) => u.code);
}

// What the forms hold: antd's values, with empty inputs as '' or undefined.

export interface UnitForm {
  code: string;
  name: string;
  name_en?: string;
  parent?: string;
  number_prefix?: string;
}

const text = (s: string | null | undefined) => {
  const v = (s ?? '').trim();
  return v || undefined;
};

/** unitBody is the request that stores a unit of level with the form's values; the prefix only on a government unit. */
export function unitBody(v: UnitForm, level: string): UnitBody {
  return {
    name: v.name.trim(),
    name_en: text(v.name_en),
    level: level as UnitBody['level'],
    parent: text(v.parent),
    number_prefix: level === 'government' ? text(v.number_prefix)?.toUpperCase() : undefined,
  };
}

export interface DepartmentForm {
  code: string;
  name: string;
  name_en?: string;
  mode: DepartmentBody['mode'];
  response_hours?: number | null;
}

/** departmentBody is the request that stores a department: response hours only for one on call. */
export function departmentBody(v: DepartmentForm): DepartmentBody {
  return {
    name: v.name.trim(),
    name_en: text(v.name_en),
    mode: v.mode,
    response_hours: v.mode === 'on_call' && v.response_hours ? v.response_hours : undefined,
  };
}

export interface PostForm {
  role?: string;
  org_unit?: string;
  department?: string;
}

export interface UserForm {
  id: string;
  name: string;
  role: UserBody['role'];
  org_unit?: string;
  department?: string;
  posts?: PostForm[];
}

/** userBody is the request that stores a user: the department only for department staff, the further posts that name a role. */
export function userBody(v: UserForm): UserBody {
  const posts: Post[] = (v.posts ?? [])
    .filter((p) => p.role)
    .map((p) => ({
      role: p.role!,
      org_unit: text(p.org_unit),
      department: p.role === 'department' ? text(p.department) : undefined,
    }));
  return {
    name: v.name.trim(),
    role: v.role,
    org_unit: text(v.org_unit),
    department: v.role === 'department' ? text(v.department) : undefined,
    posts,
  };
}


/** matchesUser says whether a user's id, name, unit or department name contains q (case aside). */
export function matchesUser(u: User, q: string, names: string[]): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return [u.id, u.name, ...names].some((s) => s.toLowerCase().includes(needle));
}
