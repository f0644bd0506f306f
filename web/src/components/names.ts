import type { TFunction } from 'i18next';
import type { Profile } from '../api/queries';
import type { components } from '../api/schema';

// Demo and imported names often carry both languages, "萨如拉社区调解员 Sarula community clerk":
// show the part of the page's language.
export function personName(name: string, lang: string): string {
  const m = /^([^A-Za-z]+?)\s+([A-Za-z].*)$/.exec(name);
  if (!m) return name;
  return lang.startsWith('zh') ? m[1]! : m[2]!;
}

export function roleName(t: TFunction, role: string): string {
  return t(`role.${role}`, { defaultValue: role });
}

/** unitName is the org unit or department a user works for, in the page's language. */
export function unitName(p: Profile, lang: string): string {
  const en = !lang.startsWith('zh');
  if (p.department) return (en && p.department_name_en) || p.department_name || p.department;
  return (en && p.org_unit_name_en) || p.org_unit_name || p.org_unit || '';
}

/**
 * postName says a post of a user who holds several, from its key as the server writes it
 * (clerk@galutu, department:justice@wushen): the role, then the department or the unit.
 */
export function postName(t: TFunction, key: string, names?: Names, lang = 'zh-CN'): string {
  const at = key.lastIndexOf('@');
  const role = at < 0 ? key : key.slice(0, at);
  const unit = at < 0 ? '' : key.slice(at + 1);
  if (role.startsWith('department:')) {
    return `${roleName(t, 'department')} · ${nameOf(names, 'departments', role.slice('department:'.length), lang)}`;
  }
  return unit ? `${roleName(t, role)} · ${nameOf(names, 'units', unit, lang)}` : roleName(t, role);
}

/** profileNames are the names of the units and departments of all the user's posts. */
export function profileNames(p: Profile): Names {
  const units = { ...p.names?.units };
  const departments = { ...p.names?.departments };
  if (p.org_unit && p.org_unit_name) units[p.org_unit] = { name: p.org_unit_name, name_en: p.org_unit_name_en };
  if (p.department && p.department_name) departments[p.department] = { name: p.department_name, name_en: p.department_name_en };
  return { units, departments };
}

/** Names are the names of the org units and departments a response mentions by code. */
export type Names = components['schemas']['Names'];

/**
 * nameOf is an org unit's or department's name as a response's names give it, in the page's
 * language; the code itself when the response does not name it.
 */
export function nameOf(names: Names | undefined, kind: 'units' | 'departments', code: string | undefined, lang: string): string {
  if (!code) return '';
  const n = names?.[kind]?.[code];
  return (n && ((!lang.startsWith('zh') && n.name_en) || n.name)) || code;
}

/** mergeNames joins the names of two responses. */
export function mergeNames(a: Names | undefined, b: Names | undefined): Names {
  return { units: { ...a?.units, ...b?.units }, departments: { ...a?.departments, ...b?.departments } };
}

/** postKey is a post's key as the server writes it and OneDoor-Post names it. */
export function postKey(p: { role: string; org_unit?: string | null; department?: string | null }): string {
  return p.role === 'department' ? `department:${p.department ?? ''}@${p.org_unit ?? ''}` : `${p.role}@${p.org_unit ?? ''}`;
}
