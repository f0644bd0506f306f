import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Problem } from '../api/client';
import type { components } from '../api/schema';

export type OrgUnit = components['schemas']['OrgUnit'];
export type Department = components['schemas']['Department'];
export type User = components['schemas']['User'];
export type Post = components['schemas']['Post'];
export type UnitBody = components['schemas']['PutUnitInputBody'];
export type DepartmentBody = components['schemas']['PutDepartmentInputBody'];
export type UserBody = components['schemas']['PutUserInputBody'];
export type { Problem };

/** useAdminOrg is the organisation an administrator may edit: units, departments and staff of their scope. */
export function useAdminOrg(enabled = true) {
  return useQuery({
    queryKey: ['admin-org'],
    enabled,
    queryFn: async ({ signal }) => {
      const o = data(await api.GET('/v1/admin/org', { signal }));
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
  return {
    unit: useMutation({
      mutationFn: async ({ code, body }: { code: string; body: UnitBody }) => data(await api.PUT('/v1/admin/org/units/{code}', { params: { path: { code } }, body })),
      onSuccess: reload,
    }),
    department: useMutation({
      mutationFn: async ({ code, body }: { code: string; body: DepartmentBody }) => data(await api.PUT('/v1/admin/org/departments/{code}', { params: { path: { code } }, body })),
      onSuccess: reload,
    }),
    user: useMutation({
      mutationFn: async ({ id, body }: { id: string; body: UserBody }) => data(await api.PUT('/v1/admin/users/{id}', { params: { path: { id } }, body })),
      onSuccess: reload,
    }),
  };
}
