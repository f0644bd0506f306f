import { Button, Flex, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fmtDue } from '../case/format';
import { nameOf, type Names } from '../components/names';
import { Muted } from '../components/text';
import { TimeLeftTag } from '../queue/TimeLeftTag';
import type { Calendar } from '../queue/timeLeft';
import type { BoardItem, ShownGroup } from './board';
import { CaseChain } from './CaseChain';

export type RowAction = 'supervise' | 'extend';

/** rowKey names a board row: one open task of a case. */
export const rowKey = (x: BoardItem) => `${x.case_id}/${x.task_id}`;

/**
 * BoardGroupTable is one group of a board (a level, and a department or the units' own tasks):
 * each task with its case's link, how late it is in working days, the supervisor's actions, a
 * checkbox for urging several at once, and the case's way along the chain a click away.
 */
export function BoardGroupTable({
  group, names, overdue, now, calendar, selected, onSelect, onAction, busy,
}: {
  group: ShownGroup;
  /** The board's names of units and departments. */
  names: Names | undefined;
  overdue: boolean;
  now: Dayjs;
  calendar: Calendar | undefined;
  /** Selected case ids. */
  selected: ReadonlySet<string>;
  onSelect: (caseIds: string[], on: boolean) => void;
  onAction: (x: BoardItem, a: RowAction) => void;
  /** The row action waiting for the server, `${rowKey}/${action}`. */
  busy: string | undefined;
}) {
  const { t, i18n } = useTranslation();
  const title = [
    t(`level.${group.level}`, { defaultValue: group.level }),
    group.department ? `${t('board.departmentTasks')} ${nameOf(names, 'departments', group.department, i18n.language)}` : t('board.own'),
  ].join(' · ');
  const columns: ColumnsType<BoardItem> = [
    {
      title: t('board.number'), dataIndex: 'case_number', width: 172,
      render: (n: string, x) => (
        <Link to={`/cases/${x.case_id}`} style={{ whiteSpace: 'nowrap' }} data-testid="board-case">
          {n}
        </Link>
      ),
    },
    { title: t('board.matter'), dataIndex: 'matter', width: 96, ellipsis: true, render: (m: string) => t(`matter.${m}`, { defaultValue: m }) },
    { title: t('board.subject'), dataIndex: 'subject', ellipsis: true },
    { title: t('board.step'), dataIndex: 'task_name', width: 100, ellipsis: true },
    {
      title: t('board.holder'), key: 'holder', width: 110, ellipsis: true,
      render: (_, x) =>
        (x.org_unit && nameOf(names, 'units', x.org_unit, i18n.language)) ||
        nameOf(names, 'departments', group.department, i18n.language) ||
        '—',
    },
    {
      title: t('board.due'), dataIndex: 'due_at', width: 136,
      render: (d: string) => <span style={{ whiteSpace: 'nowrap' }}>{fmtDue(d)}</span>,
    },
    {
      title: overdue ? t('board.late') : t('board.left'), key: 'late', width: 140,
      render: (_, x) => (
        <TimeLeftTag
          task={{ due_at: x.due_at, overdue: x.late_hours > 0, warned: true, suspended: false }}
          now={now}
          calendar={calendar}
        />
      ),
    },
    {
      title: t('board.actions'), key: 'actions', width: 172,
      render: (_, x) => (
        <Flex gap={4}>
          {(['supervise', 'extend'] as const).map((a) => (
            <Button
              key={a}
              size="small"
              type={a === 'supervise' && overdue ? 'primary' : 'default'}
              loading={busy === `${rowKey(x)}/${a}`}
              data-testid={`board-${a}`}
              aria-label={`${t(`board.${a}`)} ${x.case_number}`}
              onClick={() => onAction(x, a)}
            >
              {t(`board.${a}`)}
            </Button>
          ))}
        </Flex>
      ),
    },
  ];
  const rows = group.items;
  return (
    <div data-testid="board-group" data-level={group.level} style={{ marginBottom: 16 }}>
      <Flex align="baseline" gap={8} style={{ marginBottom: 6 }}>
        <h3 style={{ fontSize: 14, fontWeight: 600, margin: 0 }}>{title}</h3>
        <Tag>{group.count > rows.length ? t('board.listed', { shown: rows.length, count: group.count }) : t('board.count', { count: group.count })}</Tag>
      </Flex>
      <Table<BoardItem>
        size="small"
        rowKey={rowKey}
        columns={columns}
        dataSource={rows}
        pagination={false}
        tableLayout="fixed"
        rowSelection={{
          columnWidth: 40,
          selectedRowKeys: rows.filter((x) => selected.has(x.case_id)).map(rowKey),
          onSelect: (x, on) => onSelect([x.case_id], on),
          onSelectAll: (on) => onSelect(rows.map((x) => x.case_id), on),
          getCheckboxProps: (x) => ({ 'aria-label': t('board.selectCase', { number: x.case_number }) }) as never,
        }}
        expandable={{
          columnWidth: 40,
          expandedRowRender: (x) => <CaseChain caseId={x.case_id} />,
          rowExpandable: () => true,
        }}
        locale={{ emptyText: <Muted>—</Muted> }}
      />
    </div>
  );
}
