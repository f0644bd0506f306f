import { Alert, Button, Card, Descriptions, Flex, Input, Select, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../auth/session';
import { ApiError } from '../api/client';
import { Danger, Heading, Muted } from '../components/text';
import { useOutbox, useSaveTemplate, useTemplates, type Notice, type NoticeTemplate, type OutboxFilter } from './queries';
import './messages';

const when = (s?: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm:ss') : '');
// Solid colours dark enough for white text (WCAG AA).
const statusColor = { pending: '#0958d9', sent: '#237804', failed: '#cf1322' } as const;

function Attempts({ n }: { n: Notice }) {
  const { t } = useTranslation();
  const attempts = n.attempts ?? [];
  return (
    <Flex vertical gap={8} style={{ maxWidth: 900 }}>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('outbox.body')}>{n.body || <Muted>{t('outbox.notRendered')}</Muted>}</Descriptions.Item>
      </Descriptions>
      {attempts.length === 0 ? (
        <Muted>{t('outbox.noAttempt')}</Muted>
      ) : (
        <Timeline
          items={attempts.map((a) => ({
            color: a.error ? 'red' : a.finished_at ? 'green' : 'blue',
            children: (
              <span data-testid={`attempt-${a.attempt}`}>
                {t('outbox.attempt', { n: a.attempt })} · {when(a.started_at)} ·{' '}
                {a.error ? <Typography.Text type="danger">{a.error}</Typography.Text> : a.finished_at ? t('outbox.ok') : t('outbox.running')}
              </span>
            ),
          }))}
        />
      )}
    </Flex>
  );
}

function Messages({ names }: { names: Record<string, string> }) {
  const { t } = useTranslation();
  const [f, setF] = useState<OutboxFilter>({});
  const q = useOutbox(f);
  const rows = q.data?.pages.flatMap((p) => p.items ?? []) ?? [];
  const columns: ColumnsType<Notice> = [
    { title: t('outbox.at'), dataIndex: 'created_at', width: 170, render: when },
    { title: t('outbox.number'), dataIndex: 'case_number', width: 190, render: (n: string, r) => <Link to={`/cases/${r.case_id}`}>{n}</Link> },
    { title: t('outbox.template'), dataIndex: 'template', width: 100, render: (k: string) => names[k] ?? k },
    { title: t('outbox.channel'), dataIndex: 'channel', width: 150, render: (c: string) => t(`outbox.ch.${c}`) },
    { title: t('outbox.recipient'), dataIndex: 'recipient', width: 180 },
    {
      title: t('outbox.status'), dataIndex: 'status', width: 100,
      render: (s: Notice['status']) => <Tag color={statusColor[s]}>{t(`outbox.st.${s}`)}</Tag>,
    },
    { title: t('outbox.attempts'), key: 'attempts', width: 90, render: (_, r) => r.attempts?.length ?? 0 },
    { title: t('outbox.lastError'), dataIndex: 'last_error', ellipsis: true },
  ];
  return (
    <Flex vertical gap={8}>
      <Space wrap>
        <Select<OutboxFilter['status'] | ''> aria-label={t('outbox.status')} style={{ width: 140 }} value={f.status ?? ''}
          onChange={(v) => setF({ ...f, status: v || undefined })}
          options={[{ value: '', label: t('outbox.allStatuses') }, ...(['pending', 'sent', 'failed'] as const).map((s) => ({ value: s, label: t(`outbox.st.${s}`) }))]} />
        <Select<OutboxFilter['channel'] | ''> aria-label={t('outbox.channel')} style={{ width: 190 }} value={f.channel ?? ''}
          onChange={(v) => setF({ ...f, channel: v || undefined })}
          options={[{ value: '', label: t('outbox.allChannels') }, ...(['sms', 'webhook'] as const).map((c) => ({ value: c, label: t(`outbox.ch.${c}`) }))]} />
      </Space>
      {q.error && <Danger>{t('error.generic', { reason: q.error.message })}</Danger>}
      <Table<Notice> rowKey="id" size="small" loading={q.isLoading} dataSource={rows} columns={columns} pagination={false}
        scroll={{ x: 1100 }} expandable={{ expandedRowRender: (r) => <Attempts n={r} /> }}
        locale={{ emptyText: <Muted>{t('outbox.empty')}</Muted> }} data-testid="outbox-table" />
      {q.hasNextPage && (
        <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} style={{ alignSelf: 'center' }}>
          {t('outbox.more')}
        </Button>
      )}
    </Flex>
  );
}

function TemplateCard({ tpl, editable }: { tpl: NoticeTemplate; editable: boolean }) {
  const { t } = useTranslation();
  const [body, setBody] = useState(tpl.body);
  const save = useSaveTemplate();
  const problem = save.error instanceof ApiError ? save.error.problem : undefined;
  const detail = problem?.errors?.[0]?.message ?? save.error?.message;
  return (
    <Card size="small" data-testid={`template-${tpl.key}`}
      title={<Space>{tpl.name}<Tag>{t(`outbox.ch.${tpl.channel}`)}</Tag>{tpl.edited ? <Tag color="#0958d9">{t('outbox.edited')}</Tag> : <Tag>{t('outbox.default')}</Tag>}</Space>}>
      <Flex vertical gap={8}>
        <Input.TextArea aria-label={tpl.name} value={body} onChange={(e) => setBody(e.target.value)} autoSize={{ minRows: 2, maxRows: 6 }} readOnly={!editable} />
        <Muted>
          {t('outbox.variables')}：{Object.entries(tpl.variables).map(([k, v]) => `{{.${k}}} ${v}`).join('；')}
        </Muted>
        {tpl.edited && tpl.updated_by && <Muted>{t('outbox.editedBy', { user: tpl.updated_by, at: when(tpl.updated_at) })}</Muted>}
        {save.isError && <Alert type="error" showIcon message={detail} />}
        {save.isSuccess && !save.isPending && body === tpl.body && <Alert type="success" showIcon message={t('outbox.saved')} />}
        {editable && (
          <Space>
            <Button type="primary" loading={save.isPending} disabled={body === tpl.body} onClick={() => save.mutate({ key: tpl.key, body })}>
              {t('outbox.save')}
            </Button>
            <Button disabled={body === tpl.default_body} onClick={() => setBody(tpl.default_body)}>{t('outbox.reset')}</Button>
          </Space>
        )}
      </Flex>
    </Card>
  );
}

function Templates({ list }: { list: NoticeTemplate[] }) {
  const { t } = useTranslation();
  const editable = useSession()?.user.role === 'admin';
  return (
    <Flex vertical gap={12}>
      {!editable && <Muted>{t('outbox.readOnly')}</Muted>}
      {list.map((tpl) => <TemplateCard key={tpl.key} tpl={tpl} editable={editable} />)}
    </Flex>
  );
}

/** OutboxPage is 发送记录: the notices sent to residents and staff with every attempt, and their templates (通知模板). */
export function OutboxPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'templates' ? 'templates' : 'messages';
  const templates = useTemplates();
  const names = Object.fromEntries((templates.data ?? []).map((x) => [x.key, x.name]));
  return (
    <Flex vertical gap={12}>
      <Heading level={2}>{t('outbox.title')}</Heading>
      <Tabs activeKey={tab} onChange={(k) => setParams({ tab: k }, { replace: true })} destroyOnHidden
        items={[
          { key: 'messages', label: t('outbox.messages'), children: <Messages names={names} /> },
          { key: 'templates', label: t('outbox.templates'), children: <Templates list={templates.data ?? []} /> },
        ]} />
    </Flex>
  );
}
