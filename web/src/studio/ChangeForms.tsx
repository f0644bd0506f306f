import { Button, Flex, Form, Input, InputNumber, Select, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Section } from '../components/text';
import { notify } from '../components/notify';
import { divertRule, readDivert, setDeadline, setDivert, type Period } from './edits';
import type { Definition } from './queries';

const levels = ['group', 'village', 'town', 'banner', 'government'] as const;
const units = ['minutes', 'hours', 'days', 'workdays'] as const;

export interface ChangeFormsProps {
  procedure: Definition | undefined;
  departments: { code: string; name: string }[];
  /** The YAML now, and a way to replace it (the editor's). */
  text: () => string;
  write: (text: string) => void;
  readOnly: boolean;
}

/**
 * ChangeForms are the changes administrators make most: a step's deadline at a level and a
 * level's diversion table. They write the YAML the editor holds, so the implementer's view,
 * the check and the diff before publishing see the same definition.
 */
export function ChangeForms({ procedure, departments, text, write, readOnly }: ChangeFormsProps) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const steps = procedure?.steps ?? [];
  const [step, setStep] = useState<string>();
  const [level, setLevel] = useState<string>('');
  const [period, setPeriod] = useState<Period>({ amount: 15, unit: 'days' });
  const apply = (f: (s: string) => string) => {
    try {
      write(f(text()));
      void notify('success', t('studio.forms.applied'));
    } catch (e) {
      void notify('error', t('studio.failed', { reason: String(e) }));
    }
  };
  const pick = (s: string | undefined, l: string) => {
    setStep(s);
    setLevel(l);
    const own = steps.find((x) => x.id === s);
    const d = (l && procedure?.levels?.[l as (typeof levels)[number]]?.deadlines?.[s ?? '']) || own?.deadline;
    if (d?.amount && d.unit) setPeriod({ amount: d.amount, unit: d.unit as Period['unit'], basis: d.basis });
  };

  // The diversion table of one level, from its rule when the rule is one the table wrote.
  const enums = (procedure?.form ?? []).filter((f) => f.type === 'enum');
  const [dLevel, setDLevel] = useState<string>('town');
  const current = readDivert(procedure?.levels?.[dLevel as (typeof levels)[number]]?.divert ?? '[]');
  const [field, setField] = useState<string | undefined>(() => current?.field || enums[0]?.name);
  const [rows, setRows] = useState<Record<string, string[]>>(() => Object.fromEntries((current?.rows ?? []).map((r) => [r.value, r.departments])));
  const [otherwise, setOtherwise] = useState<string[]>(() => current?.otherwise ?? []);
  const loadLevel = (l: string) => {
    setDLevel(l);
    const c = readDivert(procedure?.levels?.[l as (typeof levels)[number]]?.divert ?? '[]');
    setField(c?.field || enums[0]?.name);
    setRows(Object.fromEntries((c?.rows ?? []).map((r) => [r.value, r.departments])));
    setOtherwise(c?.otherwise ?? []);
  };
  const f = enums.find((x) => x.name === (field ?? enums[0]?.name));
  const deptOptions = departments.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }));

  return (
    <Flex vertical gap={12} data-testid="change-forms">
      <span>{t('studio.forms.intro')}</span>
      <Section title={t('studio.forms.deadline')} testId="deadline-form">
        <Form layout="vertical" disabled={readOnly}>
          <Flex gap={8} wrap>
            <Form.Item label={t('studio.forms.step')} style={{ minWidth: 180 }}>
              <Select aria-label={t('studio.forms.step')} value={step} onChange={(s) => pick(s, level)}
                options={steps.map((s) => ({ value: s.id, label: `${(en && s.name_en) || s.name}（${s.id}）` }))} />
            </Form.Item>
            <Form.Item label={t('studio.forms.level')} style={{ minWidth: 200 }}>
              <Select aria-label={t('studio.forms.level')} value={level} onChange={(l) => pick(step, l)}
                options={[{ value: '', label: t('studio.forms.ownLevel') }, ...levels.map((l) => ({ value: l, label: t(`level.${l}`) }))]} />
            </Form.Item>
            <Form.Item label={t('studio.forms.amount')}>
              <InputNumber aria-label={t('studio.forms.amount')} min={1} max={3660} value={period.amount} onChange={(v) => setPeriod({ ...period, amount: v ?? 1 })} />
            </Form.Item>
            <Form.Item label={t('studio.forms.unit')} style={{ minWidth: 120 }}>
              <Select aria-label={t('studio.forms.unit')} value={period.unit} onChange={(u) => setPeriod({ ...period, unit: u })}
                options={units.map((u) => ({ value: u, label: t(`studio.unit.${u}`) }))} />
            </Form.Item>
            <Form.Item label={t('studio.forms.basis')} style={{ flex: 1, minWidth: 160 }}>
              <Input aria-label={t('studio.forms.basis')} value={period.basis ?? ''} onChange={(e) => setPeriod({ ...period, basis: e.target.value || undefined })} />
            </Form.Item>
          </Flex>
          <Button type="primary" disabled={readOnly || !step} data-testid="apply-deadline"
            onClick={() => apply((s) => setDeadline(s, step!, level || undefined, period))}>
            {t('studio.forms.apply')}
          </Button>
        </Form>
      </Section>
      <Section title={t('studio.forms.divert')} testId="divert-form">
        <Flex vertical gap={8}>
          <span>{t('studio.forms.divertIntro')}</span>
          {enums.length === 0 ? <span>{t('studio.forms.noEnum')}</span> : (
            <>
              <Flex gap={8} wrap>
                <Select aria-label={t('studio.forms.level')} style={{ width: 160 }} value={dLevel} onChange={loadLevel} disabled={readOnly}
                  options={levels.map((l) => ({ value: l, label: t(`level.${l}`) }))} />
                <Select aria-label={t('studio.forms.field')} style={{ width: 180 }} value={f?.name} onChange={setField} disabled={readOnly}
                  options={enums.map((x) => ({ value: x.name, label: (en && x.label_en) || x.label }))} />
              </Flex>
              {!current && <code style={{ fontSize: 12 }}>{procedure?.levels?.[dLevel as (typeof levels)[number]]?.divert}</code>}
              <Table size="small" pagination={false} rowKey="value"
                dataSource={[...(f?.options ?? []).map((o) => ({ value: o.value, label: (en && o.label_en) || o.label })), { value: '', label: t('studio.forms.otherwise') }]}
                columns={[
                  { title: t('studio.forms.value'), dataIndex: 'label', width: 160 },
                  {
                    title: t('studio.forms.departments'), key: 'd',
                    render: (_, r) => (
                      <Select mode="multiple" aria-label={`${r.label} ${t('studio.forms.departments')}`} style={{ width: '100%' }} disabled={readOnly}
                        value={r.value ? rows[r.value] ?? [] : otherwise} options={deptOptions}
                        onChange={(v: string[]) => (r.value ? setRows({ ...rows, [r.value]: v }) : setOtherwise(v))} />
                    ),
                  },
                ]}
              />
              <div>
                <Button type="primary" disabled={readOnly || !f} data-testid="apply-divert"
                  onClick={() => apply((s) => setDivert(s, dLevel, divertRule(f!.name, Object.entries(rows).map(([value, departments]) => ({ value, departments })), otherwise)))}>
                  {t('studio.forms.apply')}
                </Button>
              </div>
            </>
          )}
        </Flex>
      </Section>
    </Flex>
  );
}
