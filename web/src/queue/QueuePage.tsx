import { ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Space, Switch, Table, Tag } from 'antd';
import { Danger, Heading, Muted } from '../components/text';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCalendar, useClaim, useQueue, type QueueItem } from '../api/queries';
import { useSession } from '../auth/session';
import { TimeLeftTag } from './TimeLeftTag';
import { notify } from '../components/notify';
import { postName, profileNames } from '../components/names';

// The batch bar (its forms and dialog) loads once a row is selected: the queue is the first page.
const BatchBar = lazy(() => import('./BatchBar').then((m) => ({ default: m.BatchBar })));

const matters = ['petition', 'mediation', 'legal_aid', 'notarization', 'consultation', 'grid_event'] as const;
type Matter = (typeof matters)[number];

/** QueuePage is 我的待办: the tasks of my unit and department, earliest due first. */
export function QueuePage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const me = session?.user.id;
  const names = session ? profileNames(session.user) : undefined;
  const [matter, setMatter] = useState<Matter>();
  const [overdue, setOverdue] = useState(false);
  const queue = useQueue({ matter, overdue: overdue ? 'true' : undefined });
  const calendar = useCalendar();
  const claim = useClaim();
  const [selectedKeys, setSelectedKeys] = useState<React.Key[]>([]);
  // Once a row was selected the batch bar stays, so that it can list what a batch refused.
  const [batching, setBatching] = useState(false);
  // One "now" per render of the list, so every row counts from the same instant.
  const now = useMemo(() => dayjs(), [queue.dataUpdatedAt]);

  const rows = queue.data ?? [];
  const keyOf = (r: QueueItem) => `${r.case_id}/${r.task.id}`;
  const selected = rows.filter((r) => selectedKeys.includes(keyOf(r)));

  const act = (item: QueueItem, release: boolean) =>
    claim.mutate(
      { caseId: item.case_id, task: item.task.id, release, post: item.post },
      {
        onSuccess: () => void notify('success', t(release ? 'queue.released' : 'queue.claimed')),
        onError: (e) => void notify('error', t('error.generic', { reason: e.message })),
      },
    );

  const columns: ColumnsType<QueueItem> = [
    {
      title: t('queue.number'), dataIndex: 'case_number', width: 180,
      render: (n: string, r) => <Link to={`/cases/${r.case_id}`} style={{ whiteSpace: 'nowrap' }}>{n}</Link>,
    },
    { title: t('queue.matter'), dataIndex: 'matter', width: 80, render: (m: string) => t(`matter.${m}`, { defaultValue: m }) },
    { title: t('queue.subject'), dataIndex: 'subject', width: 150, ellipsis: true },
    { title: t('queue.resident'), dataIndex: 'resident_name', width: 80, ellipsis: true },
    {
      title: t('queue.step'), key: 'step', width: 100, ellipsis: true,
      // A user of several posts sees which post each task is theirs in.
      render: (_, r) => (
        <>
          {r.task.name || r.task.step}
          {r.post && <div><Tag data-testid="post">{postName(t, r.post, names, i18n.language)}</Tag></div>}
        </>
      ),
    },
    { title: t('queue.level'), key: 'level', width: 100, render: (_, r) => t(`level.${r.task.level}`, { defaultValue: r.task.level }) },
    {
      title: t('queue.due'), key: 'due', width: 140,
      render: (_, r) => (
        <span style={{ whiteSpace: 'nowrap' }}>{r.task.due_at ? dayjs(r.task.due_at).format('YYYY-MM-DD HH:mm') : t('queue.noDue')}</span>
      ),
    },
    {
      title: t('queue.left'), key: 'left', width: 130,
      render: (_, r) => <TimeLeftTag task={r.task} now={now} calendar={calendar.data} />,
    },
    {
      title: t('queue.claimedBy'), dataIndex: 'claimed_by', width: 80, ellipsis: true,
      render: (c?: string) => (c === me ? t('queue.me') : c),
    },
    {
      title: t('queue.actions'), key: 'actions', width: 70, fixed: 'right',
      render: (_, r) =>
        r.claimed_by ? (
          <Button size="small" onClick={() => act(r, true)} disabled={claim.isPending}>
            {t('queue.release')}
          </Button>
        ) : (
          <Button size="small" type="primary" onClick={() => act(r, false)} disabled={claim.isPending}>
            {t('queue.claim')}
          </Button>
        ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Heading level={2}>
          {t('queue.title')}
          <Muted style={{ fontSize: 14, marginLeft: 12, fontWeight: 'normal' }}>
            {t(queue.complete ? 'queue.count' : 'queue.countLoading', { count: queue.data?.length ?? 0 })}
          </Muted>
        </Heading>
        <Space wrap>
          <Select<Matter>
            allowClear
            placeholder={t('queue.allMatters')}
            aria-label={t('queue.matter')}
            style={{ width: 160 }}
            value={matter}
            onChange={setMatter}
            options={matters.map((m) => ({ value: m, label: t(`matter.${m}`) }))}
          />
          <Space>
            <Switch checked={overdue} onChange={setOverdue} id="overdue-only" />
            <label htmlFor="overdue-only">{t('queue.overdueOnly')}</label>
          </Space>
          <Button icon={<ReloadOutlined />} onClick={() => void queue.refetch()} loading={queue.isFetching}>
            {t('queue.refresh')}
          </Button>
        </Space>
      </Flex>
      {batching && (
        <Suspense fallback={null}>
          <BatchBar selected={selected} onDone={() => setSelectedKeys([])} />
        </Suspense>
      )}
      {queue.error && <Danger>{t('error.generic', { reason: queue.error.message })}</Danger>}
      <Table<QueueItem>
        virtual={rows.length > 0}
        rowKey={keyOf}
        rowSelection={{
          selectedRowKeys: selectedKeys,
          onChange: (keys) => {
            setSelectedKeys(keys);
            if (keys.length > 0) setBatching(true);
          },
          columnWidth: 36,
        }}
        size="small"
        loading={queue.isLoading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={rows.length > 0 ? { x: 1146, y: 'calc(100vh - 240px)' } : undefined}
        locale={{ emptyText: <Muted>{t('queue.empty')}</Muted> }}
      />
    </Flex>
  );
}
