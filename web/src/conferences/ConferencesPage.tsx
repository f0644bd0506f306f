import './messages';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, DatePicker, Descriptions, Flex, Form, Input, InputNumber, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDepartments } from '../api/org';
import { useSession } from '../auth/session';
import { FormModal } from '../components/FormModal';
import { notify } from '../components/notify';
import { Danger, Heading, Muted } from '../components/text';
import { fmt, fmtDue } from '../case/format';
import { useConferences, useConferenceWrites, type Conference } from './queries';

// Dark enough for white text (axe's contrast check).
const statusColor = { scheduled: '#0958d9', held: '#237804', cancelled: 'default' } as const;

/**
 * ConferencesPage is 会商研判: the conferences convened in the caller's scope, and for
 * supervisors convening one (POST /v1/conferences), recording it held with its minutes,
 * attendance and decisions (each a department's task on a case, due as decided), or cancelling it.
 */
export function ConferencesPage() {
  const { t, i18n } = useTranslation();
  const supervisor = useSession()?.user.role === 'supervisor';
  const list = useConferences();
  const departments = useDepartments();
  const [convening, setConvening] = useState(false);
  const [holding, setHolding] = useState<Conference>();
  const [cancelling, setCancelling] = useState<Conference>();
  const en = !i18n.language.startsWith('zh');
  const dept = (code: string) => {
    const d = departments.data?.find((x) => x.code === code);
    return (d && ((en && d.name_en) || d.name)) || code;
  };

  const columns: ColumnsType<Conference> = [
    { title: t('conf.at'), key: 'at', width: 150, render: (_, c) => fmt(c.at) },
    { title: t('conf.topic'), dataIndex: 'title', key: 'title' },
    { title: t('conf.place'), dataIndex: 'place', key: 'place' },
    {
      title: t('conf.cases'), key: 'cases',
      render: (_, c) => (
        <Flex vertical>
          {(c.cases ?? []).map((k) => <Link key={k.id} to={`/cases/${k.number}`} style={{ whiteSpace: 'nowrap' }}>{k.number}</Link>)}
        </Flex>
      ),
    },
    { title: t('conf.departments'), key: 'departments', render: (_, c) => (c.invitees ?? []).map((i) => dept(i.department)).join('、') },
    { title: t('conf.status'), key: 'status', width: 90, render: (_, c) => <Tag color={statusColor[c.status]}>{t(`conf.statuses.${c.status}`)}</Tag> },
  ];
  if (supervisor) {
    columns.push({
      title: t('conf.actions'), key: 'actions', width: 200,
      render: (_, c) =>
        c.status === 'scheduled' && (
          <Flex gap={8}>
            <Button size="small" type="primary" onClick={() => setHolding(c)} data-testid="conf-hold">{t('conf.hold')}</Button>
            <Button size="small" onClick={() => setCancelling(c)}>{t('conf.cancel')}</Button>
          </Flex>
        ),
    });
  }

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Heading level={2}>{t('conf.title')}</Heading>
        {supervisor && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setConvening(true)} data-testid="conf-convene">
            {t('conf.convene')}
          </Button>
        )}
      </Flex>
      <Muted>{t('conf.note')}</Muted>
      {list.error && <Danger>{t('error.generic', { reason: list.error.message })}</Danger>}
      <Table<Conference>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        columns={columns}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Muted>{t('conf.none')}</Muted> }}
        expandable={{ expandedRowRender: (c) => <Details c={c} dept={dept} />, rowExpandable: (c) => c.status !== 'scheduled' }}
        data-testid="conf-list"
      />
      {convening && <ConveneModal onClose={() => setConvening(false)} />}
      {holding && <HoldModal c={holding} dept={dept} onClose={() => setHolding(undefined)} />}
      {cancelling && <CancelModal c={cancelling} onClose={() => setCancelling(undefined)} />}
    </Flex>
  );
}

/** Details are what a held conference recorded: the minutes, who attended, the decisions. */
function Details({ c, dept }: { c: Conference; dept: (code: string) => string }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12} data-testid="conf-details">
      <Descriptions size="small" column={1} bordered>
        {c.minutes && <Descriptions.Item label={t('conf.minutes')}>{c.minutes}</Descriptions.Item>}
        {c.cancel_reason && <Descriptions.Item label={t('conf.reason')}>{c.cancel_reason}</Descriptions.Item>}
        <Descriptions.Item label={t('conf.attendance')}>
          {(c.invitees ?? [])
            .map((i) => `${dept(i.department)}${i.attended ? `（${t('conf.attended')}${i.attendee ? `：${i.attendee}` : ''}）` : `（${t('conf.absent')}）`}`)
            .join('、')}
        </Descriptions.Item>
      </Descriptions>
      {c.status === 'held' && (
        <Table
          rowKey={(d) => `${d.case}-${d.task_id ?? d.hand_down}`}
          size="small"
          pagination={false}
          dataSource={c.decisions ?? []}
          locale={{ emptyText: <Muted>{t('conf.noDecisions')}</Muted> }}
          columns={[
            { title: t('conf.decisionCase'), key: 'case', render: (_, d) => <Link to={`/cases/${d.case}`}>{d.case}</Link> },
            { title: t('conf.decisionDept'), key: 'dept', render: (_, d) => (d.hand_down ? `${t('conf.handDown')} ${d.hand_down}` : dept(d.department ?? '')) },
            { title: t('conf.decisionTask'), key: 'task', render: (_, d) => `${d.task ?? ''}${d.lead ? `（${t('conf.lead')}）` : ''}` },
            { title: t('conf.dueAt'), key: 'due', width: 150, render: (_, d) => fmtDue(d.due_at ?? undefined) },
          ]}
        />
      )}
    </Flex>
  );
}

interface ConveneForm {
  title: string;
  at: Dayjs;
  place: string;
  cases: string[];
  departments: string[];
  stop_clock: boolean;
  remind_before_hours: number;
}

function ConveneModal({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<ConveneForm>();
  const departments = useDepartments();
  const { convene } = useConferenceWrites();
  const [key] = useState(() => crypto.randomUUID());
  const en = !i18n.language.startsWith('zh');
  const required = [{ required: true, message: t('conf.required') }];
  return (
    <FormModal<ConveneForm>
      title={t('conf.convene')}
      form={form}
      fields={['title', 'at', 'place', 'cases', 'departments', 'stop_clock', 'remind_before_hours']}
      initialValues={{ stop_clock: true, remind_before_hours: 24, at: dayjs().add(1, 'day').hour(9).minute(0).second(0) }}
      okText={t('conf.save')}
      refusedTitle={t('conf.refused')}
      testId="conf-convene-form"
      lists={['cases', 'departments']}
      onSave={async (v) => {
        const c = await convene.mutateAsync({ key, body: { ...v, at: v.at.toISOString() } });
        void notify('success', t('conf.convened', { title: c.title }));
      }}
      onClose={onClose}
    >
      <Form.Item name="title" label={t('conf.topic')} rules={required}><Input maxLength={200} /></Form.Item>
      <Flex gap={12}>
        <Form.Item name="at" label={t('conf.at')} rules={required} style={{ flex: 1 }}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="place" label={t('conf.place')} rules={required} style={{ flex: 1 }}><Input maxLength={200} /></Form.Item>
      </Flex>
      <Form.Item name="cases" label={t('conf.cases')} extra={t('conf.casesHint')} rules={required}>
        <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} suffixIcon={null} />
      </Form.Item>
      <Form.Item name="departments" label={t('conf.departments')} rules={required}>
        <Select
          mode="multiple"
          optionFilterProp="label"
          loading={departments.isLoading}
          options={(departments.data ?? []).map((d) => ({ value: d.code, label: (en && d.name_en) || d.name }))}
        />
      </Form.Item>
      <Flex gap={12} align="center" wrap>
        <Form.Item name="stop_clock" valuePropName="checked" style={{ marginBottom: 0 }}>
          <Checkbox>{t('conf.stopClock')}</Checkbox>
        </Form.Item>
        <Form.Item name="remind_before_hours" label={t('conf.remind')} style={{ marginBottom: 0 }}>
          <InputNumber min={0} max={720} />
        </Form.Item>
      </Flex>
    </FormModal>
  );
}

interface Period {
  amount?: number;
  unit?: 'workdays' | 'days' | 'hours';
}

/** PeriodInput is a due period: an amount and its unit, one form value. */
function PeriodInput({ value, onChange, id }: { value?: Period; onChange?: (v: Period) => void; id?: string }) {
  const { t } = useTranslation();
  const v = value ?? {};
  return (
    <Flex gap={4}>
      <InputNumber<number> id={id} min={1} max={3660} value={v.amount} aria-label={t('conf.dueAmount')} style={{ width: 72 }}
        onChange={(amount) => onChange?.({ ...v, amount: amount ?? undefined })} />
      <Select<Period['unit']> value={v.unit} aria-label={t('conf.dueUnit')} style={{ width: 104 }} onChange={(unit) => onChange?.({ ...v, unit })}
        options={(['workdays', 'days', 'hours'] as const).map((u) => ({ value: u, label: t(`conf.units.${u}`) }))} />
    </Flex>
  );
}

interface HoldForm {
  minutes: string;
  attendance: { department: string; attended: boolean; attendee?: string }[];
  decisions: { case?: string; department?: string; task?: string; due?: Period; lead?: boolean }[];
}

function HoldModal({ c, dept, onClose }: { c: Conference; dept: (code: string) => string; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<HoldForm>();
  const { hold } = useConferenceWrites();
  const invitees = c.invitees ?? [];
  return (
    <FormModal<HoldForm>
      title={`${t('conf.hold')}：${c.title}`}
      form={form}
      fields={['minutes', 'attendance', 'decisions']}
      initialValues={{
        attendance: invitees.map((i) => ({ department: i.department, attended: true })),
        decisions: [{ case: c.cases?.[0]?.number, due: { amount: 5, unit: 'workdays' } }],
      }}
      okText={t('conf.save')}
      refusedTitle={t('conf.refused')}
      width={860}
      testId="conf-hold-form"
      onSave={async (v) => {
        const body = {
          minutes: v.minutes,
          attendance: v.attendance,
          decisions: (v.decisions ?? []).map((d) => ({ case: d.case ?? '', department: d.department, task: d.task, due: d.due as never, lead: d.lead })),
        };
        const r = await hold.mutateAsync({ id: c.id, body });
        void notify('success', t('conf.held', { title: r.title }));
      }}
      onClose={onClose}
    >
      <Form.Item name="minutes" label={t('conf.minutes')} rules={[{ required: true, message: t('conf.required') }]}>
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      <Form.Item label={t('conf.attendance')} style={{ marginBottom: 8 }}>
        <Flex vertical gap={4}>
          {invitees.map((inv, i) => (
            <Flex key={inv.department} gap={12} align="center">
              <Form.Item name={['attendance', i, 'department']} hidden><Input /></Form.Item>
              <Form.Item name={['attendance', i, 'attended']} valuePropName="checked" style={{ marginBottom: 0, minWidth: 240 }}>
                <Checkbox>{dept(inv.department)}</Checkbox>
              </Form.Item>
              <Form.Item name={['attendance', i, 'attendee']} style={{ marginBottom: 0, flex: 1 }}>
                <Input placeholder={t('conf.attendee')} aria-label={`${dept(inv.department)} ${t('conf.attendee')}`} maxLength={100} />
              </Form.Item>
            </Flex>
          ))}
        </Flex>
      </Form.Item>
      <Form.Item label={t('conf.decisions')} style={{ marginBottom: 0 }}>
        <Form.List name="decisions">
          {(fields, { add, remove }) => (
            <Flex vertical gap={4}>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="start" data-testid="conf-decision">
                  <Form.Item name={[f.name, 'case']} style={{ marginBottom: 4, width: 170 }}>
                    <Select aria-label={`${t('conf.decisionCase')} ${i + 1}`} options={(c.cases ?? []).map((k) => ({ value: k.number, label: k.number }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'department']} style={{ marginBottom: 4, width: 170 }}>
                    <Select aria-label={`${t('conf.decisionDept')} ${i + 1}`} options={invitees.map((x) => ({ value: x.department, label: dept(x.department) }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'task']} style={{ marginBottom: 4, flex: 1 }}>
                    <Input placeholder={t('conf.decisionTask')} aria-label={`${t('conf.decisionTask')} ${i + 1}`} maxLength={200} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'due']} style={{ marginBottom: 4 }}>
                    <PeriodInput />
                  </Form.Item>
                  <Form.Item name={[f.name, 'lead']} valuePropName="checked" style={{ marginBottom: 4 }}>
                    <Checkbox>{t('conf.lead')}</Checkbox>
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={`${t('conf.remove')} ${i + 1}`} onClick={() => remove(f.name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ case: c.cases?.[0]?.number, due: { amount: 5, unit: 'workdays' } })} data-testid="conf-add-decision">
                {t('conf.addDecision')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form.Item>
    </FormModal>
  );
}

function CancelModal({ c, onClose }: { c: Conference; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const { cancel } = useConferenceWrites();
  return (
    <FormModal<{ reason: string }>
      title={`${t('conf.cancel')}：${c.title}`}
      form={form}
      fields={['reason']}
      okText={t('conf.save')}
      refusedTitle={t('conf.refused')}
      onSave={async (v) => {
        const r = await cancel.mutateAsync({ id: c.id, reason: v.reason });
        void notify('success', t('conf.cancelled', { title: r.title }));
      }}
      onClose={onClose}
    >
      <Form.Item name="reason" label={t('conf.reason')} rules={[{ required: true, message: t('conf.required') }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}
