import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notify } from '../components/notify';
import { personName, roleName } from '../components/names';
import { Muted } from '../components/text';
import { FormModal } from '../components/FormModal';
import { matchesUser, roles, unitLabel, unitOptions, unitTree, userBody, type UserForm } from './org';
import { useOrgWrites, type Department, type OrgUnit, type Post, type User } from './queries';

const userFields = ['id', 'name', 'role', 'org_unit', 'department', 'posts'] as const;

interface Lookup {
  unit: (code?: string) => string;
  department: (code?: string) => string;
}

function useLookup(units: OrgUnit[], departments: Department[]): Lookup {
  const { i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  return useMemo(() => {
    const u = new Map(units.map((x) => [x.code, unitLabel(x, en)]));
    const d = new Map(departments.map((x) => [x.code, (en && x.name_en) || x.name]));
    return {
      unit: (code?: string) => (code ? u.get(code) ?? code : ''),
      department: (code?: string) => (code ? d.get(code) ?? code : ''),
    };
  }, [units, departments, en]);
}

/** StaffTab is 工作人员: the people of the administrator's scope, their role, unit, department and further posts. */
export function StaffTab({ users, units, departments }: { users: User[]; units: OrgUnit[]; departments: Department[] }) {
  const { t, i18n } = useTranslation();
  const names = useLookup(units, departments);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<User | 'new'>();
  const postText = (p: Post) => `${roleName(t, p.role)} · ${p.role === 'department' ? names.department(p.department) : names.unit(p.org_unit)}`;
  const rows = useMemo(
    () => users.filter((u) => matchesUser(u, q, [names.unit(u.org_unit), names.department(u.department)])),
    [users, q, names],
  );
  return (
    <Flex vertical gap={8}>
      <Space wrap>
        <Input.Search allowClear placeholder={t('org.staffSearch')} aria-label={t('org.staffSearch')} style={{ width: 280 }}
          value={q} onChange={(e) => setQ(e.target.value)} />
        <Button type="primary" onClick={() => setEditing('new')}>{t('org.addUser')}</Button>
        <Muted>{t('org.count', { count: rows.length })}</Muted>
      </Space>
      <Table<User>
        rowKey="id" size="small" dataSource={rows} data-testid="staff" scroll={{ x: 900 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          { title: t('org.id'), dataIndex: 'id', width: 170, render: (id: string) => <code>{id}</code> },
          { title: t('org.person'), dataIndex: 'name', width: 170, render: (n: string) => personName(n, i18n.language) },
          { title: t('org.role'), dataIndex: 'role', width: 120, render: (r: string) => roleName(t, r) },
          { title: t('org.unit'), key: 'unit', width: 160, render: (_, u) => names.unit(u.org_unit) },
          { title: t('org.department'), key: 'department', width: 160, render: (_, u) => names.department(u.department) },
          {
            title: t('org.posts'), key: 'posts',
            render: (_, u) => (u.posts?.length ? <Flex wrap gap={4}>{u.posts.map((p, i) => <Tag key={i}>{postText(p)}</Tag>)}</Flex> : null),
          },
          {
            title: t('org.actions'), key: 'edit', width: 90, fixed: 'right',
            render: (_, u) => <Button size="small" onClick={() => setEditing(u)} aria-label={`${t('org.edit')} ${u.id}`}>{t('org.edit')}</Button>,
          },
        ]}
      />
      {editing && (
        <EditUser user={editing === 'new' ? undefined : editing} users={users} units={units} departments={departments} onClose={() => setEditing(undefined)} />
      )}
    </Flex>
  );
}

// A Select, not a TreeSelect: the queue page's first load already carries Select, and a
// TreeSelect would add to it the parts of Select it shares.
function UnitPicker({ options, ...rest }: { options: { value: string; label: string }[]; value?: string; onChange?: (v: string) => void; 'aria-label'?: string }) {
  return <Select {...rest} allowClear showSearch={{ optionFilterProp: 'label' }} options={options} popupMatchSelectWidth={false} style={{ minWidth: 200 }} />;
}

function EditUser({ user, users, units, departments, onClose }: {
  user?: User; users: User[]; units: OrgUnit[]; departments: Department[]; onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const [form] = Form.useForm<UserForm>();
  const writes = useOrgWrites();
  const role = Form.useWatch('role', form);
  const posts = Form.useWatch('posts', form);
  const options = useMemo(() => unitOptions(unitTree(units, en)), [units, en]);
  const roleOptions = roles.map((r) => ({ value: r, label: roleName(t, r) }));
  const deptOptions = departments.map((d) => ({ value: d.code, label: (en && d.name_en) || d.name }));
  return (
    <FormModal<UserForm>
      title={user ? t('org.editUser', { name: personName(user.name, i18n.language) }) : t('org.addUser')}
      form={form} fields={userFields} testId="user-form" onClose={onClose}
      initialValues={user ? { ...user, role: user.role as UserForm['role'], posts: user.posts ?? [] } : { role: 'clerk', posts: [] }}
      onSave={async (v) => {
        const saved = await writes.user.mutateAsync({ id: user?.id ?? v.id.trim(), body: userBody(v), add: !user });
        void notify('success', t('org.userSaved', { name: personName(saved.name, i18n.language) }));
      }}>
      <Form.Item name="id" label={t('org.id')} extra={user ? undefined : t('org.idHelp')}
        rules={user ? [] : [
          { required: true, whitespace: true, message: t('org.required', { field: t('org.id') }) },
          {
            validator: async (_, v: string | undefined) => {
              if (users.some((u) => u.id === v?.trim())) throw new Error(t('org.idTaken', { id: v?.trim() }));
            },
          },
        ]}>
        <Input disabled={!!user} maxLength={128} />
      </Form.Item>
      <Form.Item name="name" label={t('org.person')} rules={[{ required: true, whitespace: true, message: t('org.required', { field: t('org.person') }) }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item name="role" label={t('org.role')} rules={[{ required: true }]} style={{ flex: '0 0 150px' }}>
          <Select options={roleOptions} />
        </Form.Item>
        <Form.Item name="org_unit" label={t('org.unit')} style={{ flex: '1 1 200px' }}>
          <UnitPicker options={options} />
        </Form.Item>
      </Flex>
      {role === 'department' && (
        <Form.Item name="department" label={t('org.department')} rules={[{ required: true, message: t('org.deptRequired') }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={deptOptions} />
        </Form.Item>
      )}
      <Form.Item label={t('org.posts')} style={{ marginBottom: 0 }}>
        <Form.List name="posts">
          {(fields, { add, remove }) => (
            <Flex vertical gap={0}>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} align="flex-start" wrap data-testid={`post-${f.name}`}>
                  <Form.Item name={[f.name, 'role']} rules={[{ required: true, message: t('org.required', { field: t('org.role') }) }]} style={{ flex: '0 0 130px' }}>
                    <Select options={roleOptions} aria-label={`${t('org.posts')} ${f.name + 1} ${t('org.role')}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'org_unit']} style={{ flex: '1 1 160px' }}>
                    <UnitPicker options={options} aria-label={`${t('org.posts')} ${f.name + 1} ${t('org.unit')}`} />
                  </Form.Item>
                  {posts?.[f.name]?.role === 'department' && (
                    <Form.Item name={[f.name, 'department']} rules={[{ required: true, message: t('org.deptRequired') }]} style={{ flex: '1 1 140px' }}>
                      <Select showSearch={{ optionFilterProp: 'label' }} options={deptOptions} aria-label={`${t('org.posts')} ${f.name + 1} ${t('org.department')}`} />
                    </Form.Item>
                  )}
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('org.removePost')} title={t('org.removePost')} onClick={() => remove(f.name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: 'clerk' })} style={{ alignSelf: 'flex-start', marginBottom: 24 }}>
                {t('org.addPost')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form.Item>
    </FormModal>
  );
}
