import './messages';
import '../diagram/messages';
import { Alert, Button, Col, DatePicker, Flex, Form, Input, Modal, Row, Select, Skeleton, Space, Table, Tabs, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, data } from '../api/client';
import { orgUnitName, useOrgUnits } from '../api/org';
import { useSession } from '../auth/session';
import { Heading, Muted } from '../components/text';
import { notify } from '../components/notify';
import { StepDiagram } from '../diagram/StepDiagram';
import { marks } from './analyze';
import { setValidFrom } from './edits';
import { ChangeForms } from './ChangeForms';
import { ChangesTable } from './ChangesTable';
import type { Problem } from './lint';
import {
  diff, useDepartments, useProcedures, useStudioWrites, useVersion, useVersions, version as readVersion,
  type Change, type Definition, type ProcedureItem, type VersionDetail, type VersionSummary,
} from './queries';
import { ConflictModal, type Conflict } from './ConflictModal';
import { problemText, TryPanel } from './TryPanel';
import { StatusTag } from './StatusTag';
import { YamlEditor, type YamlEditorHandle } from './YamlEditor';

/** StudioPage is the administrator's studio: the procedures, and the editor of one version. */
export function StudioPage() {
  const { t } = useTranslation();
  const session = useSession();
  const { key, version } = useParams();
  if (session?.user.role !== 'admin') return <Alert type="warning" showIcon title={t('studio.title')} description={t('studio.adminOnly')} />;
  if (key && version) return <Editor key={`${key}/${version}`} procedureKey={key} version={+version} />;
  return <ProcedureList />;
}

function Versions({ procedureKey }: { procedureKey: string }) {
  const { t } = useTranslation();
  const versions = useVersions(procedureKey);
  return (
    <Table<VersionSummary>
      size="small" rowKey="version" pagination={false} loading={versions.isLoading} dataSource={versions.data ?? []}
      data-testid={`versions-${procedureKey}`}
      columns={[
        { title: t('studio.versions'), key: 'v', render: (_, v) => t('studio.version', { version: v.version }) },
        { title: t('studio.status'), key: 's', render: (_, v) => <StatusTag status={v.status} /> },
        { title: t('studio.validFrom'), dataIndex: 'valid_from', render: (d?: string) => d ?? '—' },
        { title: t('studio.running'), dataIndex: 'running' },
        { title: '', key: 'open', render: (_, v) => <Link to={`/studio/${v.key}/${v.version}`}>{t('studio.open')}</Link> },
      ]}
    />
  );
}

function ProcedureList() {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const list = useProcedures();
  const units = useOrgUnits();
  const [creating, setCreating] = useState(false);
  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Heading level={2}>{t('studio.title')}</Heading>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="new-procedure">{t('studio.newProcedure')}</Button>
      </Flex>
      <Muted>{t('studio.intro')}</Muted>
      <Table<ProcedureItem>
        rowKey="key" pagination={false} loading={list.isLoading} dataSource={list.data ?? []} data-testid="procedures"
        expandable={{ expandedRowRender: (p) => <Versions procedureKey={p.key} />, rowExpandable: () => true }}
        columns={[
          { title: t('studio.name'), key: 'name', render: (_, p) => <Link to={`/studio/${p.key}/${p.version}`}>{(en && p.name_en) || p.name}</Link> },
          { title: t('studio.key'), dataIndex: 'key', render: (k: string) => <code>{k}</code> },
          { title: t('studio.matter'), dataIndex: 'matter', render: (m?: string) => (m ? t(`matter.${m}`, { defaultValue: m }) : '—') },
          {
            title: t('studio.owner'), dataIndex: 'owner',
            render: (o?: string) => (o ? orgUnitName(units.data, o, en) : <Muted>{t('studio.template')}</Muted>),
          },
          { title: t('studio.latest'), key: 'latest', render: (_, p) => <Space>{t('studio.version', { version: p.version })}<StatusTag status={p.status} /></Space> },
          { title: t('studio.validFrom'), dataIndex: 'valid_from', render: (d?: string) => d ?? '—' },
          { title: t('studio.inForce'), dataIndex: 'in_force', render: (v?: number) => (v ? t('studio.version', { version: v }) : t('studio.none')) },
          { title: t('studio.running'), dataIndex: 'running' },
        ]}
      />
      {creating && <NewProcedure procedures={list.data ?? []} onClose={() => setCreating(false)} />}
    </Flex>
  );
}

interface NewValues { key: string; name: string; from: string }

/**
 * NewProcedure starts a procedure as a copy of one the administrator sees, under a new key and
 * name: the server makes it the county's own when a county's administrator creates it, a
 * template when one above the counties does.
 */
function NewProcedure({ procedures, onClose }: { procedures: ProcedureItem[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const navigate = useNavigate();
  const writes = useStudioWrites();
  const [form] = Form.useForm<NewValues>();
  const [busy, setBusy] = useState(false);
  const create = async (v: NewValues) => {
    setBusy(true);
    try {
      const from = procedures.find((p) => p.key === v.from)!;
      const base = data(await api.GET('/v1/procedures/{key}/versions/{version}', { params: { path: { key: from.key, version: from.version } } }));
      const yaml = base.yaml
        .replace(/^key:.*$/m, `key: ${v.key}`)
        .replace(/^name:.*$/m, `name: ${JSON.stringify(v.name)}`)
        .replace(/^(name_en|valid_from):.*\n/gm, '');
      const d = await writes.create(yaml);
      void notify('success', t('studio.created'));
      navigate(`/studio/${d.key}/${d.version}`);
    } catch (e) {
      void notify('error', t('studio.failed', { reason: problemText(e) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('studio.newTitle')} okText={t('studio.create')} onOk={() => form.submit()} confirmLoading={busy} onCancel={onClose}>
      <Flex vertical gap={12}>
        <Muted>{t('studio.newOwnerNote')}</Muted>
        <Form<NewValues> form={form} layout="vertical" name="new-procedure" onFinish={(v) => void create(v)} initialValues={{ from: procedures[0]?.key }}>
          <Form.Item name="key" label={t('studio.newKey')} extra={t('studio.newKeyHelp')}
            rules={[{ required: true, pattern: /^[a-z][a-z0-9_-]{0,62}$/, message: t('studio.newKeyBad') }]}>
            <Input data-testid="new-key" maxLength={63} />
          </Form.Item>
          <Form.Item name="name" label={t('studio.name')} rules={[{ required: true, whitespace: true, message: t('studio.newNameRequired') }]}>
            <Input data-testid="new-name" maxLength={100} />
          </Form.Item>
          <Form.Item name="from" label={t('studio.copyFrom')} rules={[{ required: true }]}>
            <Select data-testid="new-from" options={procedures.map((p) => ({ value: p.key, label: `${(en && p.name_en) || p.name}（${p.key}）` }))} />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}

function Editor({ procedureKey, version }: { procedureKey: string; version: number }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const navigate = useNavigate();
  const loaded = useVersion(procedureKey, version);
  const versions = useVersions(procedureKey);
  const units = useOrgUnits();
  const departments = useDepartments();
  const writes = useStudioWrites();
  const editor = useRef<YamlEditorHandle>(null);
  const [checked, setChecked] = useState<{ problems: Problem[]; procedure?: Definition; checking: boolean }>();
  const [tab, setTab] = useState('diagram');
  const [publishing, setPublishing] = useState<{ changes: Change[]; base?: VersionSummary; validFrom?: string; picked?: string }>();
  const [busy, setBusy] = useState(false);
  const drafts = useDraftSaver(procedureKey, version, loaded.data);

  const vocabulary = useMemo(() => ({
    units: (units.data ?? []).map((u) => ({ code: u.code, name: u.name })),
    departments: (departments.data ?? []).map((d) => ({ code: d.code, name: d.name })),
  }), [units.data, departments.data]);
  const v = loaded.data;
  const procedure = checked?.procedure ?? v?.procedure;
  const problems = checked?.problems ?? [];
  const m = useMemo(() => marks(procedure ?? {}), [procedure]);
  if (loaded.isLoading || !v) return <Skeleton active />;
  // A template, for a county's administrator, or another's own procedure is read only.
  const draft = v.status === 'draft' && v.editable;
  const published = (versions.data ?? []).filter((x) => x.status === 'published' && x.version !== version);
  const inForce = published[published.length - 1]; // not .at(-1): Chromium 87 lacks it

  const act = async (f: () => Promise<void>) => {
    setBusy(true);
    try {
      await f();
    } catch (e) {
      // A save over another's draft opens the conflict, which says it all.
      if (!(e instanceof ApiError && e.status === 412)) void notify('error', t('studio.failed', { reason: problemText(e) }));
    } finally {
      setBusy(false);
    }
  };
  const save = () => act(async () => {
    await drafts.save(editor.current!.text());
    void notify('success', t('studio.saved'));
  });
  const startPublish = () => act(async () => {
    const saved = await drafts.save(editor.current!.text());
    if ((saved.problems ?? []).length) {
      setTab('problems');
      throw new Error(t('studio.fixFirst', { count: saved.problems!.length }));
    }
    // The version's own number, status and valid-from always differ: the modal's title says them.
    const changes = inForce ? await diff(procedureKey, inForce.version, version) : [];
    const validFrom = saved.procedure.valid_from || undefined;
    setPublishing({ changes: changes.filter((c) => !['version', 'status', 'valid_from'].includes(c.path)), base: inForce, validFrom, picked: validFrom });
  });
  const publish = () => act(async () => {
    if (publishing && publishing.picked !== publishing.validFrom) {
      // The day picked goes into the draft's YAML first, as if typed there.
      const text = setValidFrom(editor.current!.text(), publishing.picked);
      editor.current!.setText(text);
      await drafts.save(text);
    }
    await writes.publish(procedureKey, version);
    setPublishing(undefined);
    void notify('success', t('studio.published', { version }));
    await loaded.refetch();
  });
  const retire = () => Modal.confirm({
    title: t('studio.retireTitle', { version }), content: t('studio.retireBody', { count: v.running }),
    okText: t('studio.confirmRetire'), okButtonProps: { danger: true },
    onOk: () => act(async () => {
      await writes.retire(procedureKey, version);
      void notify('success', t('studio.retired', { version }));
      await loaded.refetch();
    }),
  });
  const newDraft = () => act(async () => {
    const d = await writes.newDraft(procedureKey, version);
    navigate(`/studio/${procedureKey}/${d.version}`);
  });

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Link to="/studio">{t('studio.back')}</Link>
          <Heading level={2}>{(en && v.name_en) || v.name} · {t('studio.version', { version })}</Heading>
          <StatusTag status={v.status} />
          {v.valid_from && <Muted>{t('studio.validFrom')} {v.valid_from}</Muted>}
          <Muted>{t('studio.running')} {v.running}</Muted>
        </Space>
        <Space wrap>
          {draft && drafts.state && (
            <span role="status" data-testid="autosave">
              <Muted>{drafts.state.saving ? t('studio.autosaving') : t('studio.autosaved', { at: drafts.state.at })}</Muted>
            </span>
          )}
          <span role="status" data-testid="check-state">
            {checked?.checking ? <Muted>{t('studio.checking')}</Muted> : checked && (problems.length
              ? <Tag color="#cf1322">{t('studio.problems', { count: problems.length })}</Tag>
              : <Tag color="#237804">{t('studio.valid')}</Tag>)}
          </span>
          {draft && <Button onClick={save} loading={busy} data-testid="save">{t('studio.save')}</Button>}
          {draft && <Button type="primary" onClick={startPublish} loading={busy} data-testid="publish">{t('studio.publish')}</Button>}
          {v.status === 'published' && (
            <Button onClick={() => navigate(`/migrations?procedure=${encodeURIComponent(procedureKey)}&to=${version}`)} data-testid="migrate">
              {t('studio.migrate')}
            </Button>
          )}
          {v.editable && v.status === 'published' && <Button danger onClick={retire} data-testid="retire">{t('studio.retire')}</Button>}
          {v.editable && v.status !== 'draft' && <Button type="primary" onClick={newDraft} loading={busy} data-testid="new-draft">{t('studio.newDraft')}</Button>}
        </Space>
      </Flex>
      {!v.editable && (
        <Alert type="info" showIcon data-testid="not-editable"
          title={v.owner ? t('studio.ownedReadOnly', { owner: orgUnitName(units.data, v.owner, en) }) : t('studio.templateReadOnly')} />
      )}
      {v.editable && !draft && <Alert type="info" showIcon title={t('studio.readOnly')} />}
      <Row gutter={12}>
        <Col span={11}>
          <div style={{ height: 'calc(100vh - 230px)', minHeight: 420 }} aria-label={t('studio.editor')} role="group">
            <YamlEditor
              ref={editor} initial={v.yaml} readOnly={!draft} label={t('studio.yaml')} vocabulary={vocabulary}
              onChange={draft ? drafts.edited : undefined}
              onChecking={() => setChecked((c) => ({ problems: c?.problems ?? [], procedure: c?.procedure, checking: true }))}
              onValidated={(r) => setChecked({ problems: r.problems ?? [], procedure: r.procedure ?? undefined, checking: false })}
            />
          </div>
        </Col>
        <Col span={13}>
          <Tabs
            activeKey={tab} onChange={setTab}
            items={[
              {
                key: 'diagram', label: t('studio.diagram'),
                children: procedure && (
                  <Flex vertical gap={4}>
                    <StepDiagram procedure={procedure} unreachable={m.unreachable} trapped={m.trapped} height={520} />
                    {m.unreachable.length > 0 && <Muted>{t('studio.unreachableNote')}</Muted>}
                    {m.trapped.length > 0 && <Muted>{t('studio.trappedNote')}</Muted>}
                  </Flex>
                ),
              },
              {
                key: 'problems', label: `${t('studio.problemsTab')} (${problems.length})`,
                children: problems.length ? (
                  <ul data-testid="problems" style={{ paddingLeft: 20, margin: 0 }}>
                    {problems.map((p, i) => (
                      <li key={i}><code>{p.line ? `${p.line}:${p.column} ` : ''}{p.path}</code> {p.message}</li>
                    ))}
                  </ul>
                ) : <Muted>{t('studio.noProblems')}</Muted>,
              },
              { key: 'try', label: t('studio.try.tab'), children: <TryPanel yaml={() => editor.current?.text() ?? v.yaml} procedure={procedure} /> },
              {
                key: 'forms', label: t('studio.forms.tab'),
                children: <ChangeForms procedure={procedure} departments={vocabulary.departments} readOnly={!draft}
                  text={() => editor.current?.text() ?? v.yaml} write={(s) => editor.current?.setText(s)} />,
              },
            ]}
          />
        </Col>
      </Row>
      <Modal
        open={!!publishing} width={820} title={t('studio.diffTitle', { version })}
        okText={t('studio.confirmPublish')} onOk={publish} confirmLoading={busy} onCancel={() => setPublishing(undefined)}
      >
        {publishing && (
          <Flex vertical gap={8} data-testid="diff">
            <Flex gap={8} align="center" wrap>
              <label htmlFor="valid-from">{t('studio.validFromPick')}</label>
              <DatePicker id="valid-from" data-testid="valid-from" value={publishing.picked ? dayjs(publishing.picked) : null}
                onChange={(d) => setPublishing({ ...publishing, picked: d ? d.format('YYYY-MM-DD') : undefined })} />
              <Muted>{t('studio.validFromHelp')}</Muted>
            </Flex>
            <span>{publishing.base ? t('studio.diffAgainst', { base: publishing.base.version }) : t('studio.diffFirst')}</span>
            {publishing.base && (
              <ChangesTable changes={publishing.changes} />
            )}
            {publishing.base && (
              <Alert type="info" showIcon data-testid="stay"
                title={t('studio.stay', { base: publishing.base.version, count: publishing.base.running, version })} />
            )}
          </Flex>
        )}
      </Modal>
      {drafts.conflict && (
        <ConflictModal conflict={drafts.conflict} busy={busy}
          onTheirs={() => editor.current?.setText(drafts.takeTheirs())}
          onMine={() => act(async () => {
            await drafts.keepMine();
            void notify('success', t('studio.saved'));
          })} />
      )}
    </Flex>
  );
}

/** The pause after the last keystroke before a draft is saved by itself. */
const AUTOSAVE_MS = 2000;

/**
 * useDraftSaver saves a draft, by hand and two seconds after each pause in typing, one save at
 * a time, each from the revision the last one left: a draft another administrator saved since
 * is refused by the server (412) and becomes a conflict, which the editor resolves by taking
 * theirs or saving its own over it knowingly.
 */
function useDraftSaver(key: string, version: number, loaded: VersionDetail | undefined) {
  const writes = useStudioWrites();
  const revision = useRef<string | undefined>(undefined);
  const saved = useRef<string | undefined>(undefined);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const timer = useRef<number | undefined>(undefined);
  const [conflict, setConflict] = useState<Conflict>();
  const [state, setState] = useState<{ saving: boolean; at?: string }>();
  if (loaded && revision.current === undefined) {
    revision.current = loaded.revision;
    saved.current = loaded.yaml;
  }
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const save = (text: string) => {
    const run = chain.current.then(async () => {
      try {
        const v = await writes.save(key, version, text, revision.current);
        revision.current = v.revision;
        saved.current = text;
        return v;
      } catch (e) {
        if (e instanceof ApiError && e.status === 412) setConflict({ theirs: await readVersion(key, version), mine: text });
        throw e;
      }
    });
    chain.current = run.catch(() => undefined);
    return run;
  };
  const edited = (text: string) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      if (conflict || text === saved.current) return;
      setState({ saving: true });
      save(text).then(
        () => setState({ saving: false, at: new Date().toLocaleTimeString('zh-CN', { hour12: false }) }),
        () => setState(undefined), // a draft that does not parse yet is saved once it does
      );
    }, AUTOSAVE_MS);
  };
  return {
    save, edited, state, conflict,
    /** takeTheirs drops this editor's text for theirs, and answers it. */
    takeTheirs: () => {
      const theirs = conflict!.theirs;
      revision.current = theirs.revision;
      saved.current = theirs.yaml;
      setConflict(undefined);
      return theirs.yaml;
    },
    /** keepMine saves this editor's text over theirs. */
    keepMine: async () => {
      revision.current = conflict!.theirs.revision;
      await save(conflict!.mine);
      setConflict(undefined);
    },
  };
}
