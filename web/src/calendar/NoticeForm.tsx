import { DeleteOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Flex, Input, Modal, Switch, theme } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notify } from '../components/notify';
import { Danger, Muted } from '../components/text';
import { expand, maxDays, place, rowsOf, type Row } from './days';
import { ApiError, useCalendarWrites, type Notice } from './queries';

const dateOf = (s: string) => (s ? dayjs(s) : null);
const textOf = (d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : '');

interface Problems {
  rows: Map<number, string[]>;
  title?: string;
  issued?: string;
  other: string[];
}

const none: Problems = { rows: new Map(), other: [] };

/**
 * NoticeForm enters a year's State Council notice, or replaces it: its title, issue date and
 * one line per holiday (a range of days or one day) or make-up working day. The server checks
 * it; what it refuses is shown at the line that gave the day.
 */
export function NoticeForm({ year, notice, onClose }: { year: number; notice?: Notice; onClose: () => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const writes = useCalendarWrites();
  const [title, setTitle] = useState(notice?.title ?? '');
  const [issued, setIssued] = useState(notice?.issued ?? '');
  const [rows, setRows] = useState<Row[]>(() => (notice?.days?.length ? rowsOf(notice.days) : [{ key: 0, from: '', to: '', name: '', workday: false }]));
  const [problems, setProblems] = useState<Problems>(none);
  const [refused, setRefused] = useState<string>();
  const [busy, setBusy] = useState(false);
  const nextKey = () => Math.max(-1, ...rows.map((r) => r.key)) + 1;
  const change = (i: number, part: Partial<Row>) => {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...part } : r)));
    // What the server said of a line no longer holds once it is changed.
    setProblems((p) => {
      if (!p.rows.has(i)) return p;
      const rowsLeft = new Map(p.rows);
      rowsLeft.delete(i);
      return { ...p, rows: rowsLeft };
    });
  };
  const { days, rowOf } = expand(rows);

  /** check finds what the form can tell before asking the server. */
  const check = (): Problems => {
    const p: Problems = { rows: new Map(), other: [] };
    if (!title.trim()) p.title = t('calendar.required');
    if (!issued) p.issued = t('calendar.required');
    rows.forEach((r, i) => {
      const m: string[] = [];
      if (!r.from) m.push(t('calendar.fieldRequired', { field: t('calendar.from') }));
      if (!r.name.trim()) m.push(t('calendar.fieldRequired', { field: t('calendar.name') }));
      if (r.from && r.to && r.to < r.from) m.push(t('calendar.toBeforeFrom'));
      if (m.length) p.rows.set(i, m);
    });
    if (days.length > maxDays) p.other.push(t('calendar.tooMany', { max: maxDays, count: days.length }));
    return p;
  };

  const save = async () => {
    setRefused(undefined);
    const p = check();
    setProblems(p);
    if (p.title || p.issued || p.rows.size || p.other.length) return;
    setBusy(true);
    try {
      await writes.putNotice(year, { title: title.trim(), issued, days });
      void notify('success', t('calendar.saved', { year }));
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) {
        setProblems(place(e.problem?.errors, rowOf));
        setRefused(e.problem?.detail || e.problem?.title || t('calendar.refused'));
      } else {
        setRefused(t('calendar.failed', { reason: (e as Error).message }));
      }
    } finally {
      setBusy(false);
    }
  };

  const yearStart = dayjs(`${year}-01-01`);
  const label = (i: number, what: string) => `${t('calendar.row', { row: i + 1 })} ${what}`;
  return (
    <Modal
      open width={880} title={t('calendar.formTitle', { year })} okText={t('calendar.save')} cancelText={t('calendar.cancel')}
      onOk={() => void save()} confirmLoading={busy} onCancel={onClose} maskClosable={false} destroyOnHidden
    >
      <Flex vertical gap={12} data-testid="notice-form">
        <Flex gap={12} wrap>
          <label style={{ flex: '1 1 420px' }}>
            <span>{t('calendar.noticeTitle')}</span>
            <Input
              value={title} maxLength={200} placeholder={t('calendar.titleExample', { year })} status={problems.title ? 'error' : undefined}
              onChange={(e) => setTitle(e.target.value)} data-testid="notice-title"
            />
            {problems.title && <Danger>{problems.title}</Danger>}
          </label>
          <label style={{ flex: '0 0 180px' }}>
            <span>{t('calendar.issued')}</span>
            <DatePicker
              value={dateOf(issued)} onChange={(d) => setIssued(textOf(d))} style={{ width: '100%' }} status={problems.issued ? 'error' : undefined}
              data-testid="notice-issued" aria-label={t('calendar.issued')} defaultPickerValue={dayjs(`${year - 1}-11-01`)}
            />
            {problems.issued && <Danger>{problems.issued}</Danger>}
          </label>
        </Flex>
        <Muted>{t('calendar.rowsHint')}</Muted>
        <div role="list" style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
          {rows.map((r, i) => {
            const bad = problems.rows.get(i);
            return (
              <div
                key={r.key} role="listitem" data-testid={`notice-row-${i}`} aria-label={t('calendar.row', { row: i + 1 })}
                style={{ padding: 6, borderRadius: token.borderRadius, background: bad ? token.colorErrorBg : undefined, border: `1px solid ${bad ? token.colorErrorBorder : token.colorBorderSecondary}` }}
              >
                <Flex gap={8} align="center" wrap>
                  <Muted style={{ width: 28, textAlign: 'right' }}>{i + 1}</Muted>
                  <DatePicker
                    value={dateOf(r.from)} onChange={(d) => change(i, { from: textOf(d) })} placeholder={t('calendar.from')}
                    aria-label={label(i, t('calendar.from'))} defaultPickerValue={yearStart} style={{ width: 150 }}
                  />
                  <span aria-hidden>–</span>
                  <DatePicker
                    value={dateOf(r.to)} onChange={(d) => change(i, { to: textOf(d) })} placeholder={t('calendar.toPlaceholder')}
                    aria-label={label(i, t('calendar.to'))} defaultPickerValue={r.from ? dayjs(r.from) : yearStart} style={{ width: 150 }}
                  />
                  <Input
                    value={r.name} onChange={(e) => change(i, { name: e.target.value })} placeholder={t('calendar.name')} maxLength={100}
                    aria-label={label(i, t('calendar.name'))} style={{ width: 180 }}
                  />
                  <label style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
                    <Switch size="small" checked={r.workday} onChange={(v) => change(i, { workday: v })} aria-label={label(i, t('calendar.makeup'))} />
                    <span>{t('calendar.makeup')}</span>
                  </label>
                  <Muted>{t('calendar.dayCount', { count: rowOf.filter((x) => x === i).length })}</Muted>
                  <Button
                    type="text" icon={<DeleteOutlined />} aria-label={t('calendar.removeRow', { row: i + 1 })} disabled={rows.length === 1}
                    onClick={() => {
                      setRows((rs) => rs.filter((_, j) => j !== i));
                      setProblems(none);
                    }}
                  />
                </Flex>
                {bad && <div style={{ paddingLeft: 36, marginTop: 4 }} data-testid={`notice-row-${i}-problem`}>{bad.map((m) => <div key={m}><Danger>{m}</Danger></div>)}</div>}
              </div>
            );
          })}
        </div>
        <Button onClick={() => setRows((rs) => [...rs, { key: nextKey(), from: '', to: '', name: '', workday: false }])} style={{ alignSelf: 'flex-start' }}>
          {t('calendar.addRow')}
        </Button>
        {(refused || problems.other.length > 0) && (
          <Alert type="error" showIcon data-testid="notice-refused" title={refused ?? t('calendar.refused')}
            description={problems.other.length ? <ul style={{ margin: 0 }}>{problems.other.map((m) => <li key={m}>{m}</li>)}</ul> : undefined} />
        )}
      </Flex>
    </Modal>
  );
}
