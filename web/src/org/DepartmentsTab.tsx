import { Button, Flex, Form, Input, InputNumber, Radio, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notify } from '../components/notify';
import { Muted } from '../components/text';
import { FormModal } from '../components/FormModal';
import { departmentBody, modes, type DepartmentForm } from './org';
import { useOrgWrites, type Department } from './queries';

const departmentFields = ['code', 'name', 'name_en', 'mode', 'response_hours'] as const;
// Solid colours dark enough for white text (WCAG AA).
const modeColor = { resident: '#0958d9', rotating: '#237804', on_call: '#ad4e00' } as const;

/** DepartmentsTab is 部门: the departments with their stationing mode and an on-call one's response time. */
export function DepartmentsTab({ departments, readOnly }: { departments: Department[]; readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const [editing, setEditing] = useState<Department | 'new'>();
  return (
    <Flex vertical gap={8}>
      {readOnly
        ? <Muted>{t('org.deptsReadOnly')}</Muted>
        : <Button type="primary" style={{ alignSelf: 'flex-start' }} onClick={() => setEditing('new')}>{t('org.addDept')}</Button>}
      <Table<Department>
        rowKey="code" size="small" pagination={false} dataSource={departments} data-testid="departments"
        columns={[
          { title: t('org.code'), dataIndex: 'code', width: 160, render: (c: string) => <code>{c}</code> },
          { title: t('org.deptName'), key: 'name', render: (_, d) => (en && d.name_en) || d.name },
          {
            title: t('org.mode_'), dataIndex: 'mode', width: 120,
            render: (m: string) => <Tag color={modeColor[m as keyof typeof modeColor] ?? 'default'}>{t(`org.mode.${m}`, { defaultValue: m })}</Tag>,
          },
          {
            title: t('org.hours'), key: 'hours', width: 120,
            render: (_, d) => (d.mode === 'on_call' && d.response_hours ? t('org.hoursValue', { count: d.response_hours }) : <Muted>{t('org.none')}</Muted>),
          },
          ...(readOnly ? [] : [{
            title: t('org.actions'), key: 'edit', width: 100,
            render: (_: unknown, d: Department) => <Button size="small" onClick={() => setEditing(d)} aria-label={`${t('org.edit')} ${d.name}`}>{t('org.edit')}</Button>,
          }]),
        ]}
      />
      {editing && <EditDepartment department={editing === 'new' ? undefined : editing} departments={departments} onClose={() => setEditing(undefined)} />}
    </Flex>
  );
}

function EditDepartment({ department, departments, onClose }: { department?: Department; departments: Department[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const [form] = Form.useForm<DepartmentForm>();
  const writes = useOrgWrites();
  const mode = Form.useWatch('mode', form);
  return (
    <FormModal<DepartmentForm>
      title={department ? t('org.editDept', { name: (en && department.name_en) || department.name }) : t('org.addDept')}
      form={form} fields={departmentFields} testId="department-form" onClose={onClose}
      initialValues={department ? { ...department, mode: department.mode as DepartmentForm['mode'] } : { mode: 'resident' }}
      onSave={async (v) => {
        const saved = await writes.department.mutateAsync({ code: department?.code ?? v.code.trim(), body: departmentBody(v), add: !department });
        void notify('success', t('org.deptSaved', { name: (en && saved.name_en) || saved.name }));
      }}>
      <Form.Item name="code" label={t('org.code')} extra={department ? undefined : t('org.codeHelp')}
        rules={department ? [] : [
          { required: true, whitespace: true, message: t('org.required', { field: t('org.code') }) },
          {
            validator: async (_, v: string | undefined) => {
              const taken = departments.find((d) => d.code === v?.trim());
              if (taken) throw new Error(t('org.codeTaken', { code: taken.code, name: taken.name }));
            },
          },
        ]}>
        <Input disabled={!!department} maxLength={64} />
      </Form.Item>
      <Form.Item name="name" label={t('org.deptName')} rules={[{ required: true, whitespace: true, message: t('org.required', { field: t('org.deptName') }) }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="name_en" label={t('org.nameEn')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="mode" label={t('org.mode_')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" options={modes.map((m) => ({ value: m, label: t(`org.mode.${m}`) }))} />
      </Form.Item>
      {mode === 'on_call' && (
        <Form.Item name="response_hours" label={t('org.hours')} extra={t('org.hoursHelp')}
          rules={[{ required: true, message: t('org.required', { field: t('org.hours') }) }]}>
          <InputNumber min={1} max={720} precision={0} suffix={t('org.hoursUnit')} style={{ width: 160 }} />
        </Form.Item>
      )}
    </FormModal>
  );
}
