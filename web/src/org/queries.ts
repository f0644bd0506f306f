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
      mutationFn: async ({ code, body, add }: { code: string; body: UnitBody; add?: boolean }) =>
        data(await api.PUT('/v1/admin/org/units/{code}', { params: { path: { code }, header: addOnly(add) }, body })),
      onSuccess: reload,
    }),
    department: useMutation({
      mutationFn: async ({ code, body, add }: { code: string; body: DepartmentBody; add?: boolean }) =>
        data(await api.PUT('/v1/admin/org/departments/{code}', { params: { path: { code }, header: addOnly(add) }, body })),
      onSuccess: reload,
    }),
    user: useMutation({
      mutationFn: async ({ id, body, add }: { id: string; body: UserBody; add?: boolean }) =>
        data(await api.PUT('/v1/admin/users/{id}', { params: { path: { id }, header: addOnly(add) }, body })),
      onSuccess: reload,
    }),
  };
}

/** addOnly is the header of an addition: the server refuses (412) to overwrite a record of the same code. */
function addOnly(add?: boolean): { 'If-None-Match'?: string } {
  return add ? { 'If-None-Match': '*' } : {};
}
