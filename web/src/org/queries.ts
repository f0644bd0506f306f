import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Problem } from '../api/client';

// The administrators' directory API (GET /v1/admin/org and its PUTs). Written by hand until the
// server's schema has it: the same shapes as the contract.
export interface OrgUnit {
  code: string;
  name: string;
  name_en?: string;
  level: 'province' | 'city' | 'government' | 'banner' | 'town' | 'village' | 'group';
  parent?: string;
  number_prefix?: string;
}
export interface Department {
  code: string;
  name: string;
  name_en?: string;
  mode: 'resident' | 'rotating' | 'on_call';
  response_hours?: number;
}
export interface Post {
  role: 'admin' | 'supervisor' | 'clerk' | 'department' | 'grid' | 'auditor';
  org_unit?: string;
  department?: string;
}
export interface User {
  id: string;
  name: string;
  role: Post['role'];
  org_unit?: string;
  department?: string;
  posts?: Post[] | null;
}
export interface AdminOrg {
  units: OrgUnit[] | null;
  departments: Department[] | null;
  users: User[] | null;
}
export type UnitBody = Omit<OrgUnit, 'code'>;
export type DepartmentBody = Omit<Department, 'code'>;
export type UserBody = Omit<User, 'id'>;
export type { Problem };

interface Untyped {
  GET(path: string, init?: object): Promise<{ data?: unknown; error?: unknown; response: Response }>;
  PUT(path: string, init?: object): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}
const admin = api as unknown as Untyped;

/** useAdminOrg is the organisation an administrator may edit: units, departments and staff of their scope. */
export function useAdminOrg(enabled = true) {
  return useQuery({
    queryKey: ['admin-org'],
    enabled,
    queryFn: async ({ signal }) => {
      const o = data(await admin.GET('/v1/admin/org', { signal })) as AdminOrg;
      return { units: o.units ?? [], departments: o.departments ?? [], users: o.users ?? [] };
    },
  });
}

/**
 * useOrgWrites are the saves of a unit, a department and a user; each reloads the directory and
 * the lists other pages keep of it (their filters' units, the studio's departments).
 */
export function useOrgWrites() {
  const qc = useQueryClient();
  const reload = () => Promise.all(['admin-org', 'org-units', 'departments', 'org-users'].map((k) => qc.invalidateQueries({ queryKey: [k] })));
  const put = async <T,>(path: string, code: string, body: object) =>
    data(await admin.PUT(path, { params: { path: { [path.includes('users') ? 'id' : 'code']: code } }, body })) as T;
  return {
    unit: useMutation({
      mutationFn: ({ code, body }: { code: string; body: UnitBody }) => put<OrgUnit>('/v1/admin/org/units/{code}', code, body),
      onSuccess: reload,
    }),
    department: useMutation({
      mutationFn: ({ code, body }: { code: string; body: DepartmentBody }) => put<Department>('/v1/admin/org/departments/{code}', code, body),
      onSuccess: reload,
    }),
    user: useMutation({
      mutationFn: ({ id, body }: { id: string; body: UserBody }) => put<User>('/v1/admin/users/{id}', id, body),
      onSuccess: reload,
    }),
  };
}
