import { Badge, Button, Flex, Switch, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Danger, Heading, Muted } from '../components/text';
import { useCopied, useDone, useMarkRead, useMine, type CaseSummary, type CopiedItem, type DoneItem } from './queries';
import './messages';

const tabs = ['done', 'mine', 'copied'] as const;
type Tab = (typeof tabs)[number];

const when = (s?: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '');

/** More is the button that loads the next page of a keyset-paginated list. */
function More({ q }: { q: { hasNextPage: boolean; fetchNextPage: () => unknown; isFetchingNextPage: boolean } }) {
  const { t } = useTranslation();
  if (!q.hasNextPage) return null;
  return (
    <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} style={{ alignSelf: 'center' }}>
      {t('lists.more')}
    </Button>
  );
}

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={status === 'open' ? 'processing' : 'default'}>{t(`status.${status}`, { defaultValue: status })}</Tag>;
}

function DoneList() {
  const { t } = useTranslation();
  const q = useDone();
  const rows = q.data?.pages.flatMap((p) => p.items ?? []) ?? [];
  const columns: ColumnsType<DoneItem> = [
    { title: t('lists.number'), dataIndex: 'case_number', width: 190, render: (n: string, r) => <Link to={`/cases/${r.case_id}`}>{n}</Link> },
    { title: t('lists.matter'), dataIndex: 'matter', width: 90, render: (m: string) => t(`matter.${m}`, { defaultValue: m }) },
    { title: t('lists.subject'), dataIndex: 'subject', ellipsis: true },
    { title: t('lists.task'), key: 'task', width: 120, render: (_, r) => r.task.name || r.task.step },
    { title: t('lists.closedAt'), key: 'closed', width: 150, render: (_, r) => when(r.task.closed_at) },
    { title: t('lists.status'), dataIndex: 'case_status', width: 90, render: (s: string) => <StatusTag status={s} /> },
    { title: t('lists.step'), dataIndex: 'case_step', width: 100 },
  ];
  return (
    <Flex vertical gap={8}>
      {q.error && <Danger>{t('error.generic', { reason: q.error.message })}</Danger>}
      <Table<DoneItem> rowKey={(r) => `${r.case_id}/${r.task.id}`} size="small" loading={q.isLoading} dataSource={rows}
        columns={columns} pagination={false} scroll={{ x: 860 }} locale={{ emptyText: <Muted>{t('lists.empty')}</Muted> }} />
      <More q={q} />
    </Flex>
  );
}

function MineList() {
  const { t } = useTranslation();
  const q = useMine();
  const rows = q.data?.pages.flatMap((p) => p.items ?? []) ?? [];
  const columns: ColumnsType<CaseSummary> = [
    { title: t('lists.number'), dataIndex: 'number', width: 190, render: (n: string, r) => <Link to={`/cases/${r.id}`}>{n}</Link> },
    { title: t('lists.matter'), dataIndex: 'matter', width: 90, render: (m: string) => t(`matter.${m}`, { defaultValue: m }) },
    { title: t('lists.subject'), dataIndex: 'subject', ellipsis: true },
    { title: t('lists.receivedAt'), dataIndex: 'received_at', width: 150, render: when },
    { title: t('lists.status'), dataIndex: 'status', width: 90, render: (s: string) => <StatusTag status={s} /> },
    { title: t('lists.step'), dataIndex: 'step', width: 100 },
  ];
  return (
    <Flex vertical gap={8}>
      {q.error && <Danger>{t('error.generic', { reason: q.error.message })}</Danger>}
      <Table<CaseSummary> rowKey="id" size="small" loading={q.isLoading} dataSource={rows} columns={columns}
        pagination={false} scroll={{ x: 760 }} locale={{ emptyText: <Muted>{t('lists.empty')}</Muted> }} />
      <More q={q} />
    </Flex>
  );
}

function CopiedList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [unread, setUnread] = useState(false);
  const q = useCopied(unread);
  const read = useMarkRead();
  const rows = q.data?.pages.flatMap((p) => p.items ?? []) ?? [];
  // Opening a copied case marks it read.
  const open = (r: CopiedItem) => {
    if (!r.read_at) read.mutate(r.case_id);
    void navigate(`/cases/${r.case_id}`);
  };
  const columns: ColumnsType<CopiedItem> = [
    {
      title: t('lists.read'), key: 'read', width: 70,
      render: (_, r) => (r.read_at ? <Muted>{t('lists.readDone')}</Muted> : <Badge status="processing" text={t('lists.unread')} />),
    },
    {
      title: t('lists.number'), dataIndex: 'case_number', width: 190,
      render: (n: string, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => open(r)} data-testid={`copied-${n}`}>
          {n}
        </Button>
      ),
    },
    { title: t('lists.matter'), dataIndex: 'matter', width: 90, render: (m: string) => t(`matter.${m}`, { defaultValue: m }) },
    { title: t('lists.subject'), dataIndex: 'subject', ellipsis: true },
    { title: t('lists.by'), key: 'by', width: 150, render: (_, r) => <>{r.by}{r.to_unit && <Muted>{t('lists.toUnit')}</Muted>}</> },
    { title: t('lists.reason'), dataIndex: 'reason', ellipsis: true },
    { title: t('lists.at'), dataIndex: 'at', width: 150, render: when },
    { title: t('lists.status'), dataIndex: 'case_status', width: 90, render: (s: string) => <StatusTag status={s} /> },
  ];
  return (
    <Flex vertical gap={8}>
      <Flex gap={8} align="center">
        <Switch checked={unread} onChange={setUnread} id="unread-only" />
        <label htmlFor="unread-only">{t('lists.unreadOnly')}</label>
      </Flex>
      {q.error && <Danger>{t('error.generic', { reason: q.error.message })}</Danger>}
      <Table<CopiedItem> rowKey="case_id" size="small" loading={q.isLoading} dataSource={rows} columns={columns}
        pagination={false} scroll={{ x: 1000 }} locale={{ emptyText: <Muted>{t('lists.empty')}</Muted> }} />
      <More q={q} />
    </Flex>
  );
}

/** TaskListsPage is 我的事项: the tasks I completed (已办), the cases I registered (我发起的) and those copied to me (抄送我的). */
export function TaskListsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = (tabs as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'done';
  return (
    <Flex vertical gap={12}>
      <Heading level={2}>{t('lists.title')}</Heading>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'done', label: t('lists.done'), children: <DoneList /> },
          { key: 'mine', label: t('lists.mine'), children: <MineList /> },
          { key: 'copied', label: t('lists.copied'), children: <CopiedList /> },
        ]}
      />
    </Flex>
  );
}
