import type { TFunction } from 'i18next';
import type { Profile } from '../api/queries';

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
export function postName(t: TFunction, key: string): string {
  const at = key.lastIndexOf('@');
  const role = at < 0 ? key : key.slice(0, at);
  const unit = at < 0 ? '' : key.slice(at + 1);
  if (role.startsWith('department:')) return `${roleName(t, 'department')} · ${role.slice('department:'.length)}`;
  return unit ? `${roleName(t, role)} · ${unit}` : roleName(t, role);
}
