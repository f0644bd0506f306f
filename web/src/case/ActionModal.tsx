import { Alert, Form, Input, InputNumber, Modal, Radio, Rate, Select, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { useAct, type ActionInput, type AllowedAction, type CaseDetail } from '../api/queries';
import { useCaseProcedure } from '../api/procedures';
import { useDepartments, useOrgUnits } from '../api/org';
import { nameOf } from '../components/names';
import { FormFields, type FieldRights } from '../register/FormFields';
import { notify } from '../components/notify';
import { UserPicker } from '../components/UserPicker';
import { closeKinds, fieldsOf, problemsByField, type FormField } from './actions';
import { stepName as nameOfStep } from './names';

type Values = {
  outcome?: string;
  target?: string;
  departments?: string[];
  step?: string;
  order?: string;
  user?: string;
  amount?: number;
  unit?: string;
  rating?: number;
  result?: string;
  reason?: string;
  copyUsers?: string[];
  copyUnits?: string[];
  /** find: what the finding is on, task:t2 or order:s1; who is responsible, unit:galutu or department:justice. */
  on?: string;
  responsible?: string;
  data?: Record<string, unknown>;
};

/**
 * ActionModal is the form of one offered action: exactly the fields its `needs` lists (and, for
 * an outcome that hands down or goes to departments, the target or departments). Nothing on the
 * page changes until the server has answered; a refusal (409) is shown with the server's reason,
 * bad data (422) under the fields.
 */
export function ActionModal({ action, kase, onClose }: { action: AllowedAction; kase: CaseDetail; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const procedure = useCaseProcedure(kase).data;
  const [form] = Form.useForm<Values>();
  const act = useAct(kase.id);
  const [refusal, setRefusal] = useState<string[]>([]);
  const outcome = Form.useWatch('outcome', form);
  // The step's rights on the form (字段权限): the fields it names are in the form, read-only ones
  // disabled, hidden ones absent; the others are left as they are.
  const rights = (action.fields ?? {}) as FieldRights;
  const dataFields = (action.type === 'complete' || action.type === 'close' ? (procedure?.form ?? []) : []).filter(
    (f) => rights[f.name] === 'required' || rights[f.name] === 'readonly',
  );
  const chosen = action.outcomes?.find((o) => o.id === outcome);

  const fields = new Set<FormField>(fieldsOf(action.needs));
  if (action.type === 'close') fields.add('outcome').add('result');
  if (chosen?.departments) fields.add('departments');
  if (chosen?.move === 'down') fields.add('target');
  if (action.type === 'evaluate') fields.add('result');
  if (action.type === 'copy') fields.add('reason'); // a remark for the recipients, optional
  const label = t(`action.${action.type}`, { defaultValue: action.type });
  // A supervision order's `extension` is the time the holder has to reply, not a longer deadline.
  const lengthLabel = t(action.type === 'supervise' ? 'form.replyWithin' : 'form.extension');
  const stepName = (id: string) => nameOfStep(procedure, id, !i18n.language.startsWith('zh'));
  const orderText = (id: string) => {
    const o = kase.supervision?.find((x) => x.id === id);
    return o ? `${o.reason}（${o.by}）` : id;
  };
  const required = (f: FormField, pick = false) => ({
    required: !((action.type === 'evaluate' && f === 'result') || (action.type === 'copy' && f === 'reason')),
    message: t(pick ? 'form.pick' : 'form.required', { field: t(`form.${f}`) }),
  });

  async function submit() {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return; // antd shows what is missing under each field
    }
    setRefusal([]);
    const body: ActionInput = { type: action.type as ActionInput['type'] };
    if (action.task) body.task = action.task;
    for (const f of ['outcome', 'target', 'departments', 'step', 'order', 'user', 'rating', 'result', 'reason'] as const) {
      if (fields.has(f) && v[f] !== undefined && v[f] !== '') (body as Record<string, unknown>)[f] = v[f];
    }
    if (fields.has('extension') && v.amount) body.extension = { amount: v.amount, unit: v.unit ?? 'workdays' };
    if (fields.has('copy_to')) body.copy_to = { users: v.copyUsers ?? [], units: v.copyUnits ?? [] };
    if (action.type === 'find' && v.on && v.responsible) {
      const [kind, id] = v.on.split(':') as ['task' | 'order', string];
      body[kind] = id;
      const [who, code] = v.responsible.split(':');
      body.responsible = who === 'unit' ? { org_unit: code } : { department: code };
    }
    const data = Object.fromEntries(
      Object.entries(v.data ?? {}).filter(([k, x]) => rights[k] !== 'readonly' && rights[k] !== 'hidden' && x !== undefined && x !== ''),
    );
    if (Object.keys(data).length) body.data = data;
    try {
      await act.mutateAsync({ body, post: action.post });
      void notify('success', t('form.done', { action: label }));
      onClose();
    } catch (err) {
      if (!(err instanceof ApiError)) {
        setRefusal([t('error.network')]);
        return;
      }
      const p = err.problem;
      if (err.status === 422 && p?.errors?.length) {
        const named = [...fields].map((f) => (f === 'extension' ? 'extension' : f));
        const by = problemsByField(p.errors, named);
        form.setFields(
          Object.entries(by)
            .filter(([f]) => f)
            .map(([f, msgs]) => ({ name: f === 'extension' ? 'amount' : (f as keyof Values), errors: msgs })),
        );
        setRefusal(by[''] ?? (Object.keys(by).length ? [] : [p.detail ?? err.message]));
        return;
      }
      setRefusal([p?.detail || p?.title || err.message]);
    }
  }

  const outcomes = action.outcomes ?? [];
  const refused = outcomes.filter((o) => o.refusals?.length);

  return (
    <Modal
      open
      title={label}
      okText={t('form.submit')}
      cancelText={t('form.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={act.isPending}
      okButtonProps={{ danger: action.type === 'withdraw' || action.type === 'transfer' }}
      destroyOnHidden
      width={560}
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ unit: 'workdays', data: kase.data }}
        name={`action-${action.type}`}
      >
        {fields.has('outcome') && outcomes.length > 0 && (
          <Form.Item name="outcome" label={t('form.outcome')} rules={[required('outcome', true)]}>
            <Radio.Group>
              <Space wrap>
                {outcomes.map((o) => {
                  const why = o.refusals?.join('；');
                  const btn = (
                    <Radio.Button key={o.id} value={o.id} disabled={!!why} data-testid={`outcome-${o.id}`}>
                      {o.name}
                    </Radio.Button>
                  );
                  return why ? (
                    <Tooltip key={o.id} title={why}>
                      <span>{btn}</span>
                    </Tooltip>
                  ) : (
                    btn
                  );
                })}
              </Space>
            </Radio.Group>
          </Form.Item>
        )}
        {fields.has('outcome') && outcomes.length === 0 && (
          <Form.Item name="outcome" label={t('form.outcome')} rules={[required('outcome', true)]}>
            <Select options={closeKinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
          </Form.Item>
        )}
        {refused.length > 0 && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="outcome-refusals"
            title={refused.map((o) => (
              <div key={o.id}>
                {o.name}：{o.refusals!.join('；')}
              </div>
            ))}
          />
        )}
        {chosen && <p style={{ marginTop: -8 }}>{chosen.next ? t('form.next', { next: stepName(chosen.next) }) : t('form.end')}</p>}
        {fields.has('target') && (
          <Form.Item name="target" label={t('form.target')} rules={[required('target', true)]}>
            <Select options={(action.targets ?? []).map((c) => ({ value: c.code, label: c.name }))} />
          </Form.Item>
        )}
        {fields.has('departments') && (
          <Form.Item name="departments" label={t('form.departments')} rules={[required('departments', true)]}>
            <Select mode="multiple" options={(action.departments ?? []).map((c) => ({ value: c.code, label: c.name }))} />
          </Form.Item>
        )}
        {fields.has('step') && (
          <Form.Item name="step" label={t('form.step')} rules={[required('step', true)]}>
            <Select options={(action.steps ?? []).map((s) => ({ value: s, label: stepName(s) }))} />
          </Form.Item>
        )}
        {fields.has('order') && (
          <Form.Item name="order" label={t('form.order')} rules={[required('order', true)]}>
            <Select options={(action.orders ?? []).map((o) => ({ value: o, label: orderText(o) }))} />
          </Form.Item>
        )}
        {fields.has('user') && (
          <Form.Item name="user" label={t('form.user')} rules={[required('user')]}>
            <UserPicker kase={kase.id} data-testid="user-picker" />
          </Form.Item>
        )}
        {fields.has('copy_to') && <CopyTo kase={kase.id} />}
        {action.type === 'find' && <FindFields kase={kase} />}
        {dataFields.length > 0 && <FormFields fields={dataFields} rights={rights} />}
        {fields.has('extension') && (
          <Form.Item label={lengthLabel} required>
            <Space.Compact>
              <Form.Item name="amount" noStyle rules={[required('extension')]}>
                <InputNumber min={1} max={365} aria-label={lengthLabel} style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="unit" noStyle>
                <Select
                  aria-label={lengthLabel}
                  style={{ width: 140 }}
                  options={['workdays', 'days', 'hours'].map((u) => ({ value: u, label: t(`unit.${u}`) }))}
                />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
        )}
        {fields.has('rating') && (
          <Form.Item name="rating" label={t('form.rating')} rules={[required('rating', true)]}>
            <Rate />
          </Form.Item>
        )}
        {fields.has('result') && (
          <Form.Item name="result" label={t(action.type === 'find' ? 'form.cause' : 'form.result')} rules={[required('result')]}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        )}
        {fields.has('reason') && (
          <Form.Item
            name="reason"
            label={t(action.type === 'note' ? 'form.reasonNote' : action.type === 'find' ? 'form.measure' : 'form.reason')}
            rules={[required('reason')]}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        )}
        {refusal.length > 0 && (
          <Alert
            type="error"
            showIcon
            role="alert"
            data-testid="action-refusal"
            title={t('form.refused', { reason: refusal.join('；') })}
          />
        )}
      </Form>
    </Modal>
  );
}

/**
 * CopyTo picks the recipients of a copy (抄送): colleagues from the directory the server offers
 * and the org units the user may name; at least one of either.
 */
function CopyTo({ kase }: { kase: string }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const units = useOrgUnits().data ?? [];
  const oneOf = ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
    validator: () =>
      ((getFieldValue('copyUsers') as string[] | undefined)?.length || (getFieldValue('copyUnits') as string[] | undefined)?.length)
        ? Promise.resolve()
        : Promise.reject(new Error(t('form.copyPick'))),
  });
  return (
    <>
      <Form.Item name="copyUsers" label={t('form.copyUsers')} rules={[oneOf]} dependencies={['copyUnits']}>
        <UserPicker kase={kase} multiple data-testid="copy-users" />
      </Form.Item>
      <Form.Item name="copyUnits" label={t('form.copyUnits')} rules={[oneOf]} dependencies={['copyUsers']}>
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          data-testid="copy-units"
          options={units.map((u) => ({ value: u.code, label: (en && u.name_en) || u.name }))}
        />
      </Form.Item>
    </>
  );
}

/**
 * FindFields asks what a finding (查究) is on, the case's overdue tasks and the supervision
 * orders left unanswered past their deadline, and who is responsible: a unit of the user's scope
 * or a department.
 */
function FindFields({ kase }: { kase: CaseDetail }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const units = useOrgUnits().data ?? [];
  const departments = useDepartments().data ?? [];
  const holder = (task: { org_unit?: string; department?: string }) =>
    task.department ? nameOf(kase.names, 'departments', task.department, i18n.language) : nameOf(kase.names, 'units', task.org_unit, i18n.language);
  const on = [
    ...(kase.tasks ?? []).filter((x) => x.overdue).map((x) => ({ value: `task:${x.id}`, label: t('form.findTask', { step: x.name, holder: holder(x) }) })),
    ...(kase.supervision ?? []).filter((o) => o.overdue).map((o) => ({ value: `order:${o.id}`, label: t('form.findOrder', { reason: o.reason }) })),
  ];
  const pick = (field: string) => ({ required: true, message: t('form.pick', { field: t(`form.${field}`) }) });
  return (
    <>
      <Form.Item name="on" label={t('form.findOn')} rules={[pick('findOn')]}>
        <Select options={on} data-testid="find-on" />
      </Form.Item>
      <Form.Item name="responsible" label={t('form.responsible')} rules={[pick('responsible')]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          data-testid="find-responsible"
          options={[
            { label: t('form.unitsGroup'), options: units.map((u) => ({ value: `unit:${u.code}`, label: (en && u.name_en) || u.name })) },
            { label: t('form.departmentsGroup'), options: departments.map((d) => ({ value: `department:${d.code}`, label: (en && d.name_en) || d.name })) },
          ]}
        />
      </Form.Item>
    </>
  );
}
