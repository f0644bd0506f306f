import './messages';
import '../studio/messages';
import { Alert, Button, Flex, InputNumber, Modal, Select, Skeleton, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { orgUnitName, useOrgUnits, type OrgUnit } from '../api/org';
import { useSession } from '../auth/session';
import { notify } from '../components/notify';
import { Heading, Muted, Section } from '../components/text';
import { ChangesTable } from '../studio/ChangesTable';
import { StatusTag } from '../studio/StatusTag';
import { useProcedures, useVersion, type Change, type Definition } from '../studio/queries';
import {
  adoption, useCountyDepartments, useLatestOverride, useOverrides, useOverrideWrites,
  type OverrideBody, type OverrideDetail, type OverrideItem,
} from './queries';

/** countyOf is the county (government-level unit) the unit is in, walking up its parents. */
function countyOf(units: OrgUnit[] | undefined, code: string | undefined): OrgUnit | undefined {
  for (let u = units?.find((x) => x.code === code); u; u = units?.find((x) => x.code === u!.parent)) {
    if (u.level === 'government') return u;
  }
  return undefined;
}

/**
 * OverridesPage is 本旗流程调整: a county administrator adopts the city's procedure templates with
 * the county's changes (shorter deadlines, its diversion table). Administrators and auditors
 * above the counties see every county's, to read.
 */
export function OverridesPage() {
  const { t } = useTranslation();
  const session = useSession();
  const { key } = useParams();
  const units = useOrgUnits();
  const role = session?.user.role;
  if (role !== 'admin' && role !== 'auditor') return <Alert type="warning" showIcon title={t('overrides.title')} description={t('overrides.adminOnly')} />;
  if (units.isLoading) return <Skeleton active />;
  const county = countyOf(units.data, session?.user.org_unit);
  if (key && county && role === 'admin') return <Editor key={key} county={county} procedureKey={key} />;
  return <OverrideList county={county} editable={role === 'admin'} units={units.data ?? []} />;
}

interface Row {
  key: string;
  name: string;
  templateInForce?: number;
  override?: OverrideItem;
  county?: string;
}

function OverrideList({ county, editable, units }: { county?: OrgUnit; editable: boolean; units: OrgUnit[] }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const procedures = useProcedures();
  const overrides = useOverrides(county?.code);
  const rows: Row[] = useMemo(() => {
    const byKey = new Map((procedures.data ?? []).map((p) => [p.key, p]));
    if (county) {
      // Every template the county may adopt (not its own procedures), with its override if it has one.
      return (procedures.data ?? []).filter((p) => p.in_force && !p.owner).map((p) => ({
        key: p.key, name: (en && p.name_en) || p.name, templateInForce: p.in_force,
        override: overrides.data?.find((o) => o.key === p.key),
      }));
    }
    return (overrides.data ?? []).map((o) => {
      const p = byKey.get(o.key);
      return { key: `${o.county}/${o.key}`, name: (p && ((en && p.name_en) || p.name)) || o.key, templateInForce: o.template_in_force, override: o, county: o.county };
    });
  }, [procedures.data, overrides.data, county, en]);
  return (
    <Flex vertical gap={12}>
      <Heading level={2}>{county ? t('overrides.titleOf', { county: orgUnitName(units, county.code, en) }) : t('overrides.title')}</Heading>
      <Muted>{county ? t('overrides.intro') : t('overrides.introAbove')}</Muted>
      <Table<Row>
        rowKey="key" pagination={false} loading={procedures.isLoading || overrides.isLoading} dataSource={rows} data-testid="overrides"
        locale={{ emptyText: t('overrides.noneAbove') }}
        columns={[
          ...(county ? [] : [{ title: t('overrides.county'), key: 'county', render: (_: unknown, r: Row) => orgUnitName(units, r.county ?? '', en) }]),
          {
            title: t('studio.name'), key: 'name',
            render: (_, r) => (county && editable ? <Link to={`/overrides/${r.key}`}>{r.name}</Link> : r.name),
          },
          { title: t('overrides.templateInForce'), key: 'tpl', render: (_, r) => (r.templateInForce ? t('studio.version', { version: r.templateInForce }) : '—') },
          {
            title: t('overrides.own'), key: 'own',
            render: (_, r) => {
              const o = r.override;
              if (!o?.in_force) return <Muted>{t('overrides.asTemplate')}</Muted>;
              return t('overrides.inForce', { version: o.in_force, template: o.template });
            },
          },
          {
            title: t('overrides.latest'), key: 'latest',
            render: (_, r) => (r.override ? <Space>{t('studio.version', { version: r.override.version })}<StatusTag status={r.override.status} /></Space> : '—'),
          },
          {
            title: '', key: 'newer',
            render: (_, r) => {
              const adopted = r.override?.in_force ? r.override.template : undefined;
              return adopted && r.templateInForce && r.templateInForce > adopted
                ? <Tag color="warning">{t('overrides.newer', { version: r.templateInForce })}</Tag>
                : null;
            },
          },
        ]}
      />
    </Flex>
  );
}

const unitWords = (t: (k: string) => string, unit?: string) => (unit ? t(`studio.unit.${unit}`) : '');

/** A deadline the county may shorten: a step's own (level '') or the step's at one level. */
interface DeadlineRow {
  level: string;
  step: string;
  stepName: string;
  amount: number;
  unit: string;
  basis?: string;
}

/** deadlineRows are the template's fixed deadlines, the step's own first, then those of each level. */
function deadlineRows(p: Definition, en: boolean): DeadlineRow[] {
  const steps = p.steps ?? [];
  const name = (id: string) => {
    const s = steps.find((x) => x.id === id);
    return (s && ((en && s.name_en) || s.name)) || id;
  };
  const rows: DeadlineRow[] = [];
  for (const s of steps) {
    const d = s.deadline;
    if (d?.amount && d.unit && !d.expr) rows.push({ level: '', step: s.id, stepName: name(s.id), amount: d.amount, unit: d.unit, basis: d.basis });
  }
  for (const level of ['group', 'village', 'town', 'banner', 'government']) {
    for (const [step, d] of Object.entries(p.levels?.[level]?.deadlines ?? {})) {
      if (d.amount && d.unit && !d.expr) rows.push({ level, step, stepName: name(step), amount: d.amount, unit: d.unit, basis: d.basis });
    }
  }
  return rows;
}

/** The county's changes as the form holds them. */
interface Changes {
  deadlines: Record<string, number | null>;
  levels: Record<string, Record<string, number | null>>;
  diversion: Record<string, string[]>;
}

function changesOf(o?: OverrideDetail['override']): Changes {
  const levels: Changes['levels'] = {};
  for (const [l, m] of Object.entries(o?.level_deadlines ?? {})) {
    levels[l] = Object.fromEntries(Object.entries(m).map(([s, p]) => [s, p.amount]));
  }
  return {
    deadlines: Object.fromEntries(Object.entries(o?.deadlines ?? {}).map(([s, p]) => [s, p.amount])),
    levels,
    diversion: Object.fromEntries(Object.entries(o?.diversion ?? {}).map(([k, v]) => [k, v ?? []])),
  };
}

/** bodyOf is what the form writes: the shortened deadlines in the template's unit, the table's rows that name departments. */
function bodyOf(template: number, c: Changes, rows: DeadlineRow[], form?: OverrideDetail['override']['form']): OverrideBody {
  const unit = (level: string, step: string) => rows.find((r) => r.level === level && r.step === step)?.unit ?? 'days';
  const deadlines = Object.fromEntries(
    Object.entries(c.deadlines).filter(([, a]) => a != null).map(([s, a]) => [s, { amount: a!, unit: unit('', s) }]),
  );
  const level_deadlines = Object.fromEntries(
    Object.entries(c.levels)
      .map(([l, m]) => [l, Object.fromEntries(Object.entries(m).filter(([, a]) => a != null).map(([s, a]) => [s, { amount: a!, unit: unit(l, s) }]))] as const)
      .filter(([, m]) => Object.keys(m).length > 0),
  );
  const diversion = Object.fromEntries(Object.entries(c.diversion).filter(([, d]) => d.length > 0));
  return { template, deadlines, level_deadlines, diversion, form: form ?? undefined };
}

interface Review {
  title: string;
  template: number;
  templateChanges?: Change[];
  changes: Change[];
  problems: { path: string; message: string }[];
  confirm: () => Promise<void>;
}

function Editor({ county, procedureKey }: { county: OrgUnit; procedureKey: string }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const procedures = useProcedures();
  const latest = useLatestOverride(county.code, procedureKey);
  const p = procedures.data?.find((x) => x.key === procedureKey);
  if (procedures.isLoading || latest.isLoading) return <Skeleton active />;
  if (!p?.in_force) return <Alert type="warning" showIcon title={t('overrides.noTemplate', { key: procedureKey })} />;
  const o = latest.data ?? undefined;
  return (
    <Flex vertical gap={12}>
      <Link to="/overrides">{t('overrides.back')}</Link>
      <Heading level={2}>{t('overrides.editorTitle', { name: (en && p.name_en) || p.name, county: (en && county.name_en) || county.name })}</Heading>
      {/* The form starts again from what the server holds whenever a version is loaded. */}
      <OverrideForm key={`${o?.version ?? 0}/${o?.status}/${o?.template}`} county={county.code} procedureKey={procedureKey}
        latest={o} templateInForce={p.in_force} />
    </Flex>
  );
}

function OverrideForm({ county, procedureKey, latest, templateInForce }: {
  county: string; procedureKey: string; latest?: OverrideDetail; templateInForce: number;
}) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const templateVersion = latest?.template ?? templateInForce;
  const template = useVersion(procedureKey, templateVersion);
  const departments = useCountyDepartments(county);
  const writes = useOverrideWrites(county, procedureKey);
  const [changes, setChanges] = useState<Changes>(() => changesOf(latest?.override));
  const [review, setReview] = useState<Review>();
  const [busy, setBusy] = useState(false);
  const draft = latest?.status === 'draft';
  const tpl = template.data?.procedure;
  const rows = useMemo(() => (tpl ? deadlineRows(tpl, en) : []), [tpl, en]);
  if (template.isLoading || !tpl) return <Skeleton active />;

  const locked = (part: string) => tpl.locked?.includes(part) ?? false;
  const topic = tpl.form?.find((f) => f.name === 'topic' && f.type === 'enum');
  const diverts = Object.values(tpl.levels ?? {}).some((l) => l.divert);
  const body = (version = templateVersion) => bodyOf(version, changes, rows, latest?.override.form);
  const run = async (what: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await what();
      if (done) void notify('success', done);
    } catch (e) {
      void notify('error', t('studio.failed', { reason: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  // Publishing shows first what the county's new cases would see, with the draft saved as it is on the page.
  const reviewPublish = () => run(async () => {
    await writes.save(latest!.version, body());
    const a = await adoption(county, procedureKey, templateVersion);
    setReview({
      title: t('overrides.publishTitle', { version: latest!.version }), template: templateVersion,
      changes: a.effective_changes ?? [], problems: a.problems ?? [],
      confirm: () => run(async () => {
        await writes.publish(latest!.version);
        setReview(undefined);
      }, t('studio.published', { version: latest!.version })),
    });
  });
  const reviewAdoption = () => run(async () => {
    const a = await adoption(county, procedureKey, templateInForce);
    setReview({
      title: t('overrides.adoptTitle', { version: templateInForce }), template: templateInForce,
      templateChanges: a.template_changes ?? [], changes: a.effective_changes ?? [], problems: a.problems ?? [],
      confirm: () => run(async () => {
        if (draft) await writes.save(latest!.version, body(templateInForce));
        else await writes.create(body(templateInForce));
        setReview(undefined);
      }, t('overrides.adopted', { version: templateInForce })),
    });
  });

  const setDeadline = (level: string, step: string, v: number | null) =>
    setChanges((c) => (level
      ? { ...c, levels: { ...c.levels, [level]: { ...c.levels[level], [step]: v } } }
      : { ...c, deadlines: { ...c.deadlines, [step]: v } }));
  const valueOf = (r: DeadlineRow) => (r.level ? changes.levels[r.level]?.[r.step] : changes.deadlines[r.step]) ?? null;

  return (
    <Flex vertical gap={12}>
      {!latest && <Alert type="info" showIcon data-testid="no-override" title={t('overrides.none', { version: templateInForce })} />}
      {latest && (
        <Space wrap>
          <span>{t('studio.version', { version: latest.version })}</span>
          <StatusTag status={latest.status} />
          <span>{t('overrides.adopts', { version: latest.template })}</span>
        </Space>
      )}
      {latest && templateInForce > latest.template && (
        <Alert type="warning" showIcon data-testid="newer"
          title={t('overrides.newerLong', { version: templateInForce, adopted: latest.template })}
          action={<Button onClick={reviewAdoption} loading={busy}>{t('overrides.adopt', { version: templateInForce })}</Button>} />
      )}
      {draft && (latest.problems ?? []).length > 0 && (
        <Alert type="error" showIcon data-testid="override-problems" title={t('studio.fixFirst', { count: latest.problems!.length })}
          description={<ul style={{ margin: 0 }}>{latest.problems!.map((p) => <li key={p.path + p.message}><code>{p.path}</code> {p.message}</li>)}</ul>} />
      )}
      {!draft && latest && <Muted>{t('studio.readOnly')}</Muted>}

      <Section title={t('overrides.deadlines')} testId="deadlines-section"><Flex vertical gap={8}>
      <Muted>{locked('deadlines') ? t('overrides.locked') : t('overrides.deadlinesIntro')}</Muted>
      <Table<DeadlineRow>
        size="small" pagination={false} rowKey={(r) => `${r.level}/${r.step}`} dataSource={rows} data-testid="override-deadlines"
        columns={[
          { title: t('studio.forms.level'), key: 'level', width: 150, render: (_, r) => (r.level ? t(`level.${r.level}`) : t('studio.forms.ownLevel')) },
          { title: t('studio.forms.step'), dataIndex: 'stepName', width: 140 },
          {
            title: t('overrides.templateDeadline'), key: 'tpl',
            render: (_, r) => <Flex vertical><span>{r.amount} {unitWords(t, r.unit)}</span>{r.basis && <Muted>{r.basis}</Muted>}</Flex>,
          },
          {
            title: t('overrides.countyDeadline'), key: 'own', width: 200,
            render: (_, r) => (
              <InputNumber
                min={1} max={r.amount} precision={0} disabled={!draft || locked('deadlines')} value={valueOf(r)} placeholder={String(r.amount)}
                suffix={unitWords(t, r.unit)} style={{ width: 170 }} aria-label={`${r.level ? t(`level.${r.level}`) : t('studio.forms.ownLevel')} ${r.stepName}`}
                data-testid={`deadline-${r.level || 'step'}-${r.step}`}
                onChange={(v) => setDeadline(r.level, r.step, v)}
              />
            ),
          },
        ]}
      />
      </Flex></Section>

      <Section title={t('studio.forms.divert')} testId="diversion-section"><Flex vertical gap={8}>
      {topic && diverts ? (
        <>
          <Muted>{locked('diversion') ? t('overrides.locked') : t('overrides.diversionIntro', { field: (en && topic.label_en) || topic.label })}</Muted>
          <Table
            size="small" pagination={false} rowKey="value" dataSource={topic.options ?? []} data-testid="override-diversion"
            columns={[
              { title: (en && topic.label_en) || topic.label, key: 'label', width: 200, render: (_, o) => (en && o.label_en) || o.label },
              {
                title: t('studio.forms.departments'), key: 'depts',
                render: (_, o) => (
                  <Select
                    mode="multiple" allowClear disabled={!draft || locked('diversion')} style={{ minWidth: 320 }} placeholder={t('overrides.byTemplate')}
                    aria-label={`${t('studio.forms.departments')} ${(en && o.label_en) || o.label}`} data-testid={`diversion-${o.value}`}
                    value={changes.diversion[o.value] ?? []} loading={departments.isLoading}
                    options={(departments.data ?? []).map((d) => ({ value: d.code, label: (en && d.name_en) || d.name }))}
                    onChange={(v: string[]) => setChanges((c) => ({ ...c, diversion: { ...c.diversion, [o.value]: v } }))}
                  />
                ),
              },
            ]}
          />
        </>
      ) : (
        <Muted>{t('overrides.noDiversion')}</Muted>
      )}
      </Flex></Section>

      {(latest?.override.form ?? []).length > 0 && (
        <Muted>{t('overrides.fields', { fields: latest!.override.form!.map((f) => f.label).join('、') })}</Muted>
      )}

      <Space>
        {!latest && (
          <Button type="primary" loading={busy} onClick={() => run(() => writes.create(body()), t('overrides.started'))}>
            {t('overrides.start', { version: templateInForce })}
          </Button>
        )}
        {latest && !draft && (
          <Button type="primary" loading={busy} onClick={() => run(() => writes.create(body()), t('overrides.started'))}>
            {t('studio.newDraft')}
          </Button>
        )}
        {draft && (
          <>
            <Button loading={busy} onClick={() => run(() => writes.save(latest.version, body()), t('studio.saved'))}>{t('studio.save')}</Button>
            <Button type="primary" loading={busy} onClick={reviewPublish}>{t('studio.publish')}</Button>
          </>
        )}
      </Space>

      <Modal
        open={!!review} width={820} title={review?.title} okText={review?.templateChanges ? t('overrides.confirmAdopt') : t('studio.confirmPublish')}
        okButtonProps={{ disabled: !review?.templateChanges && (review?.problems.length ?? 0) > 0 }}
        onOk={() => void review?.confirm()} confirmLoading={busy} onCancel={() => setReview(undefined)}
      >
        {review && (
          <Flex vertical gap={8} data-testid="override-diff">
            {review.templateChanges && (
              <>
                <span>{t('overrides.templateChanges', { version: review.template })}</span>
                <ChangesTable changes={review.templateChanges} />
              </>
            )}
            <span>{t('overrides.effectiveChanges')}</span>
            <ChangesTable changes={review.changes} testId="effective-changes" />
            {review.problems.length > 0 && (
              <Alert type="error" showIcon title={t('studio.fixFirst', { count: review.problems.length })}
                description={<ul style={{ margin: 0 }}>{review.problems.map((p) => <li key={p.path + p.message}><code>{p.path}</code> {p.message}</li>)}</ul>} />
            )}
            {!review.templateChanges && <Alert type="info" showIcon title={t('overrides.stay')} />}
          </Flex>
        )}
      </Modal>
    </Flex>
  );
}
