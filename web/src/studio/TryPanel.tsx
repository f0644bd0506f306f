import { Alert, Button, DatePicker, Descriptions, Flex, Form, Input, InputNumber, Select, Switch, Table, Tag, Tooltip } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { useOrgUnits } from '../api/org';
import type { components } from '../api/schema';
import { tryRules, type Definition, type TryOutput } from './queries';

type RuleAnswer = components['schemas']['RuleAnswer'];
type TriedStep = components['schemas']['TriedStep'];
const levels = ['group', 'village', 'town', 'banner', 'government'] as const;

/** problemText is a refusal's located messages, one a line. */
export function problemText(e: unknown): string {
  if (e instanceof ApiError) {
    const errs = e.problem?.errors ?? [];
    return errs.length ? errs.map((x) => `${x.location ?? ''}: ${x.message ?? ''}`).join('\n') : e.message;
  }
  return String(e);
}

/**
 * TryPanel runs the definition being edited on sample data (POST /v1/procedures/try): the
 * level's rules with their answers, each step's deadline and due date with its explanation, and
 * the outcomes a clerk would be offered.
 */
export function TryPanel({ yaml, procedure }: { yaml: () => string; procedure: Definition | undefined }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const units = useOrgUnits();
  const [level, setLevel] = useState<(typeof levels)[number]>('village');
  const [unit, setUnit] = useState<string>();
  const [from, setFrom] = useState<Dayjs>(dayjs());
  const [sample, setSample] = useState<Record<string, unknown>>({});
  const [out, setOut] = useState<TryOutput>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fields = (procedure?.form ?? []).filter((f) => ['enum', 'boolean', 'integer', 'text', 'org_unit', 'department'].includes(f.type));
  const label = (x: { label?: string; label_en?: string; name?: string }) => (en && x.label_en) || x.label || x.name || '';

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const data = Object.fromEntries(Object.entries(sample).filter(([, v]) => v !== undefined && v !== ''));
      setOut(await tryRules({ yaml: yaml(), level, org_unit: unit, from: from.format('YYYY-MM-DD'), data }));
    } catch (e) {
      setOut(undefined);
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const answer = (a: RuleAnswer, yesNo: boolean) => {
    if (a.error) return <Tag color="#cf1322">{t('studio.try.failedRule', { error: a.error })}</Tag>;
    const v = yesNo ? (a.answer ? t('studio.try.yes') : t('studio.try.no')) : (a.departments ?? []).join('、') || t('studio.none');
    return (
      <span>
        <strong data-testid="rule-answer">{v}</strong> {a.default ? t('studio.try.byDefault') : <code style={{ fontSize: 12 }}>{a.rule}</code>}
      </span>
    );
  };

  return (
    <Flex vertical gap={12} data-testid="try-panel">
      <span>{t('studio.try.intro')}</span>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('studio.try.level')}>
          <Select
            aria-label={t('studio.try.level')} style={{ width: 140 }} value={level}
            onChange={(v) => { setLevel(v); setUnit(undefined); }}
            options={levels.map((l) => ({ value: l, label: t(`level.${l}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('studio.try.unit')}>
          <Select
            aria-label={t('studio.try.unit')} style={{ width: 180 }} value={unit ?? ''} onChange={(v) => setUnit(v || undefined)}
            options={[{ value: '', label: t('studio.try.anyUnit') }, ...(units.data ?? []).filter((u) => u.level === level).map((u) => ({ value: u.code, label: (en && u.name_en) || u.name }))]}
          />
        </Form.Item>
        <Form.Item label={t('studio.try.from')}>
          <DatePicker aria-label={t('studio.try.from')} value={from} onChange={(d) => d && setFrom(d)} allowClear={false} />
        </Form.Item>
      </Form>
      {fields.length > 0 && (
        <fieldset style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px' }}>
          <legend style={{ fontSize: 14, width: 'auto', margin: 0, padding: '0 4px', border: 0 }}>{t('studio.try.data')}</legend>
          <Form layout="inline" style={{ rowGap: 8 }}>
            {fields.map((f) => (
              <Form.Item key={f.name} label={label(f)}>
                {f.type === 'enum' ? (
                  <Select
                    aria-label={label(f)} style={{ width: 150 }} allowClear value={sample[f.name] as string | undefined}
                    onChange={(v) => setSample({ ...sample, [f.name]: v })}
                    options={(f.options ?? []).map((o) => ({ value: o.value, label: label(o) }))}
                  />
                ) : f.type === 'boolean' ? (
                  <Switch aria-label={label(f)} checked={!!sample[f.name]} onChange={(v) => setSample({ ...sample, [f.name]: v })} />
                ) : f.type === 'integer' ? (
                  <InputNumber aria-label={label(f)} value={sample[f.name] as number | undefined} onChange={(v) => setSample({ ...sample, [f.name]: v ?? undefined })} />
                ) : (
                  <Input aria-label={label(f)} style={{ width: 150 }} value={(sample[f.name] as string) ?? ''} onChange={(e) => setSample({ ...sample, [f.name]: e.target.value })} />
                )}
              </Form.Item>
            ))}
          </Form>
        </fieldset>
      )}
      <div>
        <Button type="primary" onClick={run} loading={busy} data-testid="try-run">{t('studio.try.run')}</Button>
      </div>
      {error && <Alert type="error" showIcon title={t('studio.try.fixFirst')} description={<pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{error}</pre>} />}
      {out && (
        <>
          <Descriptions size="small" bordered column={1} title={t('studio.try.rules')} data-testid="try-rules"
            items={[
              { key: 'fv', label: t('studio.try.firstVisit'), children: answer(out.rules.first_visit, true) },
              { key: 'ac', label: t('studio.try.accept'), children: answer(out.rules.accept, true) },
              { key: 'dv', label: t('studio.try.divert'), children: answer(out.rules.divert, false) },
              { key: 'es', label: t('studio.try.escalate'), children: answer(out.rules.escalate, true) },
            ]}
          />
          <Table<TriedStep>
            size="small" rowKey="id" pagination={false} data-testid="try-steps" dataSource={out.steps ?? []}
            columns={[
              { title: t('studio.try.step'), key: 'step', render: (_, s) => <span>{(en && s.name_en) || s.name}{s.id === out.start && <Tag style={{ marginLeft: 4 }}>{t('studio.try.start')}</Tag>}</span> },
              {
                title: t('studio.try.deadline'), key: 'deadline', width: 150,
                render: (_, s) => s.period ? (
                  <span>
                    <span style={{ whiteSpace: 'nowrap' }}>{s.period.amount} {t(`studio.unit.${s.period.unit}`)}</span>
                    {s.basis && <><br /><small>{s.basis}</small></>}
                  </span>
                ) : t('studio.try.noDeadline'),
              },
              {
                title: t('studio.try.due'), key: 'due', width: 108,
                render: (_, s) => s.due ? <span style={{ whiteSpace: 'nowrap' }} data-testid={`due-${s.id}`}>{s.due.last_day}</span> : '—',
              },
              {
                title: t('studio.try.explanation'), key: 'ex', width: '34%',
                render: (_, s) => s.error ? <Tag color="#cf1322">{s.error}</Tag> : <small>{s.due ? (en ? s.due.explanation.summary : s.due.explanation.summary_zh) : ''}</small>,
              },
              {
                title: t('studio.try.outcomes'), key: 'outcomes',
                render: (_, s) => (
                  <Flex wrap gap={4}>
                    {(s.outcomes ?? []).map((o) => (
                      <Tooltip key={o.id} title={o.reason}>
                        <Tag color={o.offered ? '#237804' : 'default'} style={o.offered ? undefined : { textDecoration: 'line-through' }}>
                          {(en && o.name_en) || o.name}
                        </Tag>
                      </Tooltip>
                    ))}
                  </Flex>
                ),
              },
            ]}
          />
        </>
      )}
    </Flex>
  );
}
