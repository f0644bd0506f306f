import './messages';
import { Alert, Button, Descriptions, Flex, Form, Modal, Progress, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { orgUnitName, useOrgUnits } from '../api/org';
import { useSession } from '../auth/session';
import { fmt, fmtDue } from '../case/format';
import { notify } from '../components/notify';
import { Danger, Heading, Muted, Section } from '../components/text';
import { defaultFrom, done, mappingRows, placePlanProblems, planBody, type PlanValues, type StepRef } from './plan';
import { useMigrationPlan, useMigrationPlans, useMigrationWrites, useProcedures, useProcedureSteps, useVersions, type CaseItem, type Explanation, type ItemStatus, type PlanItem } from './queries';

// Dark enough for white text (axe's contrast check).
const planColor = { planned: '#0958d9', applying: '#ad4e00', done: '#237804' } as const;
const itemColor = { pending: 'default', moved: '#237804', left: '#ad4e00', failed: '#cf1322' } as const;

/**
 * MigrationsPage moves a procedure's running cases to a new version (docs/procedures.md, "Moving
 * running cases to a new version"): the plans, a new plan with its step mapping, its dry run
 * (where each case lands and its new due date), applying it with its progress, and its cases.
 * The studio opens it with the procedure and the target version chosen (?procedure=&to=).
 */
export function MigrationsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const { id } = useParams();
  if (session?.user.role !== 'admin') return <Alert type="warning" showIcon title={t('mig.title')} description={t('mig.adminOnly')} />;
  if (id && /^\d+$/.test(id)) return <PlanView key={id} id={+id} />;
  return <PlanList />;
}

function PlanList() {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const units = useOrgUnits();
  const [search, setSearch] = useSearchParams();
  const list = useMigrationPlans();
  const procedure = search.get('procedure') ?? undefined;
  const to = Number(search.get('to')) || undefined;
  const [creating, setCreating] = useState(!!procedure);
  const plans = (list.data?.pages ?? []).flatMap((p) => p.items ?? []);
  const close = () => {
    setCreating(false);
    if (procedure) setSearch({}, { replace: true });
  };

  const columns: ColumnsType<PlanItem> = [
    { title: '#', dataIndex: 'id', width: 60, render: (id: number) => <Link to={`/migrations/${id}`}>{id}</Link> },
    { title: t('mig.procedure'), key: 'procedure', render: (_, p) => <span>{p.name || p.procedure} <Muted>（{p.procedure}）</Muted></span> },
    { title: t('mig.fromTo'), key: 'versions', width: 150, render: (_, p) => `${t('mig.version', { version: p.from })} → ${t('mig.version', { version: p.to })}` },
    { title: t('mig.county'), dataIndex: 'county', width: 120, render: (c?: string) => (c ? orgUnitName(units.data, c, en) : t('mig.everyCounty')) },
    { title: t('mig.status'), dataIndex: 'status', width: 100, render: (s: PlanItem['status']) => <Tag color={planColor[s]}>{t(`mig.statuses.${s}`)}</Tag> },
    {
      title: t('mig.progress'), key: 'progress', width: 300,
      render: (_, p) => (
        <Flex vertical>
          <Progress percent={done(p.progress)} size="small" status={p.status === 'done' ? 'success' : p.status === 'applying' ? 'active' : 'normal'}
            aria-label={t('mig.progress')} />
          <Muted style={{ fontSize: 12 }}>{t('mig.counts', p.progress)}</Muted>
        </Flex>
      ),
    },
    { title: t('mig.createdAt'), key: 'created', width: 150, render: (_, p) => fmt(p.created_at) },
    { title: '', key: 'open', width: 70, render: (_, p) => <Link to={`/migrations/${p.id}`}>{t('mig.open')}</Link> },
  ];
  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Link to="/studio">{t('mig.studio')}</Link>
          <Heading level={2}>{t('mig.title')}</Heading>
        </Space>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="mig-new">{t('mig.newPlan')}</Button>
      </Flex>
      <Muted>{t('mig.intro')}</Muted>
      {list.error && <Danger>{t('error.generic', { reason: list.error.message })}</Danger>}
      <Table<PlanItem>
        rowKey="id" size="small" pagination={false} loading={list.isLoading} dataSource={plans} columns={columns}
        data-testid="mig-plans" locale={{ emptyText: <Muted>{t('mig.none')}</Muted> }}
      />
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} style={{ alignSelf: 'center' }}>{t('mig.more')}</Button>
      )}
      {creating && <NewPlan procedure={procedure} to={to} onClose={close} />}
    </Flex>
  );
}

const stepLabel = (s: StepRef, en: boolean) => `${(en && s.name_en) || s.name}（${s.id}）`;

/**
 * NewPlan is the form of a plan: the procedure, its source and target versions and the mapping
 * of the source's steps the target lacks. Its dry run (the plan created) opens the plan's page;
 * a refusal is shown under the fields it names.
 */
function NewPlan({ procedure: initialProcedure, to: initialTo, onClose }: { procedure?: string; to?: number; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const navigate = useNavigate();
  const writes = useMigrationWrites();
  const [form] = Form.useForm<PlanValues>();
  const [rest, setRest] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const procedures = useProcedures();
  const procedure = Form.useWatch('procedure', form) ?? initialProcedure;
  const from = Form.useWatch('from', form);
  const to = Form.useWatch('to', form);
  const versions = useVersions(procedure);
  const fromSteps = useProcedureSteps(procedure, from);
  const toSteps = useProcedureSteps(procedure, to);
  const rows = useMemo(() => mappingRows(fromSteps.data ?? [], toSteps.data ?? []), [fromSteps.data, toSteps.data]);
  const ready = !!from && !!to && !!fromSteps.data && !!toSteps.data;

  // Once the versions are known: the target, if none was given, is the newest published version,
  // and the source the other version with the most running cases.
  useEffect(() => {
    const list = versions.data;
    if (!list?.length || form.getFieldValue('from')) return;
    let target = form.getFieldValue('to') as number | undefined;
    if (!target) {
      const published = list.filter((v) => v.status === 'published');
      target = published[published.length - 1]?.version;
    }
    form.setFieldsValue({ to: target, from: defaultFrom(list, target) });
  }, [versions.data, form]);

  const save = async () => {
    let values: PlanValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setRest([]);
    try {
      const plan = await writes.create(planBody(values, rows));
      void notify('success', t('mig.counts', plan.progress));
      onClose();
      navigate(`/migrations/${plan.id}`);
    } catch (e) {
      const p = placePlanProblems(e instanceof ApiError ? e.problem : undefined, e instanceof Error ? e.message : String(e), rows);
      form.setFields(p.placed.map((x) => ({ name: x.name as never, errors: x.errors })));
      setRest(p.rest);
    } finally {
      setBusy(false);
    }
  };

  const versionOption = (v: { version: number; status: string; running: number }) => ({
    value: v.version,
    label: t('mig.versionRunning', { version: v.version, status: t(`mig.versionStatus.${v.status}`), running: v.running }),
  });
  const targets = (toSteps.data ?? []).map((s) => ({ value: s.id, label: stepLabel(s, en) }));
  return (
    <Modal open title={t('mig.newPlan')} okText={t('mig.dryRun')} onOk={() => void save()} confirmLoading={busy}
      onCancel={onClose} destroyOnHidden maskClosable={false} width={720}>
      <Form<PlanValues> form={form} layout="vertical" data-testid="mig-form" initialValues={{ procedure: initialProcedure, to: initialTo }}
        onValuesChange={(changed) => {
          // Another procedure: its versions and steps are others.
          if ('procedure' in changed) form.setFieldsValue({ from: undefined, to: undefined, steps: {} });
          setRest([]);
        }}>
        <Form.Item name="procedure" label={t('mig.procedure')} rules={[{ required: true, message: t('mig.pickProcedure') }]}>
          <Select showSearch optionFilterProp="label" data-testid="mig-procedure" loading={procedures.isLoading}
            options={(procedures.data ?? []).map((p) => ({ value: p.key, label: `${(en && p.name_en) || p.name}（${p.key}）` }))} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="from" label={t('mig.from')} style={{ flex: 1 }} rules={[{ required: true, message: t('mig.pickFrom') }]}>
            <Select data-testid="mig-from" loading={versions.isLoading}
              options={(versions.data ?? []).filter((v) => v.status !== 'draft').map(versionOption)} />
          </Form.Item>
          <Form.Item name="to" label={t('mig.to')} style={{ flex: 1 }} rules={[{ required: true, message: t('mig.pickTo') }]}>
            <Select data-testid="mig-to" loading={versions.isLoading}
              options={(versions.data ?? []).filter((v) => v.status === 'published').map(versionOption)} />
          </Form.Item>
        </Flex>
        {ready && (
          <Section title={t('mig.mapping')} testId="mig-mapping">
            <Flex vertical gap={8}>
              <Muted>{t('mig.mappingIntro')}</Muted>
              {rows.mapped.map((s) => (
                <Form.Item key={s.id} name={['steps', s.id]} label={stepLabel(s, en)} style={{ marginBottom: 8 }}>
                  <Select allowClear placeholder={t('mig.noMapping')} options={targets} data-testid={`mig-map-${s.id}`} />
                </Form.Item>
              ))}
              {rows.mapped.length === 0 && <span>{t('mig.sameAll')}</span>}
              {rows.same.length > 0 && (
                <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="mig-same">
                  {rows.same.map((s) => (
                    <li key={s.id}>{stepLabel(s, en)} → {stepLabel(s, en)} <Muted>{t('mig.same')}</Muted></li>
                  ))}
                </ul>
              )}
            </Flex>
          </Section>
        )}
        <Muted style={{ display: 'block', marginTop: 12 }}>{t('mig.dryRunNote')}</Muted>
      </Form>
      {rest.length > 0 && <Alert type="error" showIcon role="alert" data-testid="form-refusal" title={t('mig.refused')} description={rest.join('；')} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

/** explain is how a new due date is counted, in the reader's language. */
const explain = (e: Explanation, en: boolean) => (en ? e.summary : e.summary_zh);

/** PlanView is one plan: its mapping, its progress, applying it, and its cases. */
function PlanView({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const [filter, setFilter] = useState<ItemStatus>();
  const q = useMigrationPlan(id, filter);
  const writes = useMigrationWrites();
  const [busy, setBusy] = useState(false);
  const plan = q.data?.pages[0];
  const items = (q.data?.pages ?? []).flatMap((p) => p.items ?? []);
  const fromSteps = useProcedureSteps(plan?.procedure, plan?.from);
  const toSteps = useProcedureSteps(plan?.procedure, plan?.to);
  const versions = useVersions(plan?.procedure);
  const units = useOrgUnits();
  const name = (steps: StepRef[] | undefined, id: string) => {
    const s = steps?.find((x) => x.id === id);
    return s ? stepLabel(s, en) : id;
  };

  if (q.error) {
    return (
      <Flex vertical gap={12}>
        <Link to="/migrations">{t('mig.back')}</Link>
        <Danger>{t('error.generic', { reason: q.error.message })}</Danger>
      </Flex>
    );
  }
  if (!plan) return <Muted>…</Muted>;
  const p = plan.progress;
  const apply = () => Modal.confirm({
    title: t('mig.applyTitle', { id }), content: t('mig.applyBody', { count: p.pending, version: plan.to }), okText: t('mig.apply'),
    onOk: async () => {
      setBusy(true);
      try {
        await writes.apply(id);
        void notify('success', t('mig.applied'));
      } catch (e) {
        void notify('error', t('error.generic', { reason: e instanceof Error ? e.message : String(e) }));
      } finally {
        setBusy(false);
      }
    },
  });
  const mapped = Object.entries(plan.steps ?? {});
  const target = versions.data?.find((v) => v.version === plan.to);
  const procedureName = (target && ((en && target.name_en) || target.name)) || plan.procedure;

  const columns: ColumnsType<CaseItem> = [
    { title: t('mig.number'), dataIndex: 'number', width: 190, render: (n: string) => <Link to={`/cases/${n}`}>{n}</Link> },
    { title: t('mig.step'), dataIndex: 'step', render: (s: string) => name(fromSteps.data, s) },
    {
      title: t('mig.target'), key: 'target',
      render: (_, it) => (it.status !== 'left' && it.target_step ? `→ ${name(toSteps.data, it.target_step)}` : '—'),
    },
    {
      title: t('mig.due'), key: 'due', width: 320,
      render: (_, it) => {
        if (it.status === 'left') return '—';
        const tasks = (it.tasks ?? []).filter((x) => x.due_at || x.explanation);
        if (!tasks.length) return <Muted>{t('mig.noDue')}</Muted>;
        return (
          <Flex vertical gap={4}>
            {tasks.map((x) => (
              <span key={x.task} data-testid="mig-due">
                {tasks.length > 1 && `${x.name}：`}{x.due_at ? fmtDue(x.due_at) : t('mig.noDue')}
                {x.explanation && <Muted style={{ display: 'block', fontSize: 12 }}>{explain(x.explanation, en)}</Muted>}
              </span>
            ))}
          </Flex>
        );
      },
    },
    { title: t('mig.item'), dataIndex: 'status', width: 110, render: (s: ItemStatus) => <Tag color={itemColor[s]}>{t(`mig.itemStatuses.${s}`)}</Tag> },
    { title: t('mig.reason'), dataIndex: 'reason', render: (r?: string) => r ?? '' },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Link to="/migrations">{t('mig.back')}</Link>
          <Heading level={2}>{t('mig.plan', { id })}</Heading>
          <Tag color={planColor[plan.status]} data-testid="mig-status">{t(`mig.statuses.${plan.status}`)}</Tag>
        </Space>
        <Space wrap>
          {plan.status === 'planned' && p.pending > 0 && (
            <Button type="primary" onClick={apply} loading={busy} data-testid="mig-apply">{t('mig.apply')}</Button>
          )}
          {plan.status === 'applying' && <Button onClick={apply} loading={busy} data-testid="mig-resume">{t('mig.resume')}</Button>}
        </Space>
      </Flex>
      <Descriptions size="small" bordered column={2} items={[
        { key: 'p', label: t('mig.procedure'), children: <span>{procedureName} <Muted>（{plan.procedure}）</Muted></span> },
        { key: 'v', label: t('mig.fromTo'), children: `${t('mig.version', { version: plan.from })} → ${t('mig.version', { version: plan.to })}` },
        {
          key: 'm', label: t('mig.mapping'), span: 2,
          children: mapped.length
            ? mapped.map(([a, b]) => `${name(fromSteps.data, a)} → ${name(toSteps.data, b)}`).join(en ? '; ' : '；') + (en ? '; ' : '；') + t('mig.restSame')
            : t('mig.allSame'),
        },
        { key: 'c', label: t('mig.createdBy'), children: `${plan.created_by} · ${fmt(plan.created_at)}` },
        { key: 's', label: t('mig.county'), children: plan.county ? orgUnitName(units.data, plan.county, en) : t('mig.everyCounty') },
      ]} />
      <Section title={t('mig.progress')} testId="mig-progress">
        <Flex vertical gap={4}>
          <Progress percent={plan.status === 'planned' ? 0 : done(p)} status={plan.status === 'done' ? 'success' : plan.status === 'applying' ? 'active' : 'normal'}
            aria-label={t('mig.progress')} />
          <span data-testid="mig-counts">{t('mig.counts', p)}</span>
          {plan.status === 'planned' && <Muted>{t('mig.dryRunNote')}</Muted>}
          {plan.status === 'applying' && <Muted>{t('mig.applying')} {t('mig.stopped')}</Muted>}
          {plan.status === 'done' && <Alert type="success" showIcon title={t('mig.finished')} data-testid="mig-done" />}
        </Flex>
      </Section>
      <Flex gap={8} align="center">
        <label htmlFor="mig-filter">{t('mig.filter')}</label>
        <Select<ItemStatus | ''> id="mig-filter" style={{ width: 160 }} value={filter ?? ''} onChange={(v) => setFilter(v || undefined)}
          options={[{ value: '', label: t('mig.all') }, ...(['pending', 'moved', 'left', 'failed'] as const).map((s) => ({ value: s, label: t(`mig.itemStatuses.${s}`) }))]} />
      </Flex>
      <Table<CaseItem>
        rowKey="case_id" size="small" pagination={false} loading={q.isLoading} dataSource={items} columns={columns}
        data-testid="mig-items" locale={{ emptyText: <Muted>{t('mig.noCases')}</Muted> }}
      />
      {q.hasNextPage && (
        <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} style={{ alignSelf: 'center' }}>{t('mig.more')}</Button>
      )}
    </Flex>
  );
}
