import '../case/messages';
import './messages';
import { ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Result, Select, Skeleton, Space } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { useCalendar, type AllowedAction, type CaseDetail } from '../api/queries';
import { ActionModal } from '../case/ActionModal';
import { notify } from '../components/notify';
import { Danger, Heading, Muted, Section } from '../components/text';
import { showGroups, total, unitsOf, type BoardItem, type ShownGroup } from './board';
import { BoardGroupTable, rowKey, type RowAction } from './BoardGroupTable';
import { mergeNames, nameOf } from '../components/names';
import { caseAndActions, useBoard } from './queries';
import { UrgeModal, type UrgeCase } from './UrgeModal';

const windows = [24, 72, 168] as const;

/**
 * SupervisionPage is 督办看板: the overdue and the due-soon tasks of the supervisor's scope by
 * level, department and unit, each linking to its case, with how late it is in working days;
 * urging several cases at once (催办), a supervision order (督办) or an extension (延期) on one,
 * offered as the server allows them, and the way each case went along the chain.
 */
export function SupervisionPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [within, setWithin] = useState<number>(72);
  const overdue = useBoard('overdue');
  const soon = useBoard('due-soon', within);
  const calendar = useCalendar();
  const [unit, setUnit] = useState<string>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [urging, setUrging] = useState<UrgeCase[]>(); // the cases chosen when the dialog opened
  const [busy, setBusy] = useState<string>();
  const [acting, setActing] = useState<{ action: AllowedAction; kase: CaseDetail }>();
  // One "now" per answer of the server, so every row counts from the same instant.
  const now = useMemo(() => dayjs(), [overdue.dataUpdatedAt, soon.dataUpdatedAt]);

  const units = unitsOf(overdue.data?.groups ?? undefined, soon.data?.groups ?? undefined);
  // Either board may name a unit; both are from the same organisation.
  const names = mergeNames(overdue.data?.names, soon.data?.names);
  const unitLabel = (code: string) => nameOf(names, 'units', code, i18n.language);
  const lateGroups = showGroups(overdue.data?.groups ?? undefined, unit);
  const soonGroups = showGroups(soon.data?.groups ?? undefined, unit);
  // The cases listed, by id, for the urge dialog's numbers.
  const listed = new Map<string, string>();
  for (const g of [...lateGroups, ...soonGroups]) for (const x of g.items) listed.set(x.case_id, x.case_number);
  const chosen = [...selected].filter((id) => listed.has(id)).map((id) => ({ id, number: listed.get(id)! }));

  const select = (ids: string[], on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      for (const id of ids) (on ? next.add(id) : next.delete(id));
      return next;
    });

  async function act(x: BoardItem, type: RowAction) {
    setBusy(`${rowKey(x)}/${type}`);
    try {
      const [kase, actions] = await caseAndActions(qc, x.case_id);
      const offered = actions.filter((a) => a.type === type);
      const action = offered.find((a) => a.task === x.task_id) ?? offered[0];
      if (action) setActing({ action, kase });
      else void notify('error', t('board.notOffered', { number: x.case_number, action: t(`board.${type}`) }));
    } catch (err) {
      void notify('error', t('error.generic', { reason: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(undefined);
    }
  }

  const board = (groups: ShownGroup[], isOverdue: boolean, q: typeof overdue, empty: string) => {
    if (q.isLoading) return <Skeleton active />;
    if (q.error) return <Danger>{t('board.loadFailed', { reason: q.error.message })}</Danger>;
    if (groups.length === 0) return <Muted>{empty}</Muted>;
    return groups.map((g) => (
      <BoardGroupTable
        key={g.key}
        group={g}
        names={names}
        overdue={isOverdue}
        now={now}
        calendar={calendar.data}
        selected={selected}
        onSelect={select}
        onAction={(x, a) => void act(x, a)}
        busy={busy}
      />
    ));
  };

  // Boards are for supervisors, administrators and auditors; the server says so with 403.
  if (overdue.error instanceof ApiError && overdue.error.status === 403) {
    return <Result status="403" title={t('board.title')} subTitle={t('board.forbidden')} />;
  }

  const lateTotal = total(overdue.data?.groups ?? undefined);
  const soonTotal = total(soon.data?.groups ?? undefined);
  const withinText = within % 24 === 0 && within > 72 ? t('board.withinDays', { days: within / 24 }) : t('board.within', { hours: within });

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="baseline" gap={12} wrap>
          <Heading level={2}>{t('board.title')}</Heading>
          <Muted>
            <span data-testid="board-summary">
              {t('board.overdue')} {lateTotal} · {t('board.dueSoon')} {soonTotal} · {t('board.unitCount', { count: units.length })}
            </span>
          </Muted>
        </Flex>
        <Space wrap>
          <Select
            allowClear
            aria-label={t('board.unitLabel')}
            placeholder={t('board.allUnits')}
            style={{ width: 200 }}
            value={unit}
            onChange={(v?: string) => setUnit(v)}
            options={units.map((u) => ({ value: u.unit, label: `${u.unit ? unitLabel(u.unit) : t('board.departmentTasks')}（${u.count}）` }))}
          />
          <Select
            aria-label={t('board.windowLabel')}
            style={{ width: 172 }}
            value={within}
            onChange={setWithin}
            options={windows.map((h) => ({
              value: h,
              label: h > 72 ? t('board.withinDays', { days: h / 24 }) : t('board.within', { hours: h }),
            }))}
          />
          <Button type="primary" icon={<SendOutlined />} disabled={chosen.length === 0} onClick={() => setUrging(chosen)} data-testid="board-urge">
            {chosen.length ? t('board.urgeSelected', { count: chosen.length }) : t('board.urge')}
          </Button>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void qc.invalidateQueries({ queryKey: ['board'] })}
            loading={overdue.isFetching || soon.isFetching}
          >
            {t('board.refresh')}
          </Button>
        </Space>
      </Flex>

      <Section title={`${t('board.overdue')}（${lateTotal}）`} testId="board-overdue">
        {board(lateGroups, true, overdue, t('board.noneOverdue'))}
      </Section>
      <Section title={`${t('board.dueSoon')}（${soonTotal}，${withinText}）`} testId="board-due-soon">
        {board(soonGroups, false, soon, t('board.noneDueSoon'))}
      </Section>
      {overdue.dataUpdatedAt > 0 && <Muted>{t('board.updated', { time: dayjs(overdue.dataUpdatedAt).format('HH:mm:ss') })}</Muted>}

      {urging && (
        <UrgeModal
          cases={urging}
          onClose={() => setUrging(undefined)}
          onDone={() => setSelected(new Set())}
        />
      )}
      {acting && (
        <ActionModal
          action={acting.action}
          kase={acting.kase}
          onClose={() => {
            setActing(undefined);
            void qc.invalidateQueries({ queryKey: ['board'] });
          }}
        />
      )}
    </Flex>
  );
}
