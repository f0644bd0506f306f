import './messages';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Flex, Modal, Space, Spin } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useOrgUnits, type OrgUnit } from '../api/org';
import { useSession } from '../auth/session';
import { notify } from '../components/notify';
import { Heading, Muted, Section } from '../components/text';
import { marks, rowsOf, spanText } from './days';
import { NoticeForm } from './NoticeForm';
import { useCalendarWrites, useHolidays, type Notice } from './queries';
import { Regional } from './Regional';
import { Legend, Swatch, YearGrid } from './YearGrid';

/** countyOf is the county (government-level unit) the unit is in, walking up its parents. */
function countyOf(units: OrgUnit[] | undefined, code: string | undefined): OrgUnit | undefined {
  for (let u = units?.find((x) => x.code === code); u; u = units?.find((x) => x.code === u!.parent)) {
    if (u.level === 'government') return u;
  }
  return undefined;
}

/**
 * CalendarPage is 工作日历: the working-day calendar of a year as twelve small months, the
 * year's State Council notice (entered, replaced or deleted by an administrator above the
 * counties, read by a county's) and the regional holidays.
 */
export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const units = useOrgUnits();
  const holidays = useHolidays();
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('year'));
  const year = asked >= 2000 && asked <= 2999 ? asked : new Date().getFullYear();
  const setYear = (y: number) => setParams(y === new Date().getFullYear() ? {} : { year: String(y) }, { replace: true });
  const en = !i18n.language.startsWith('zh');
  const marked = useMemo(
    () => marks(holidays.data?.notices ?? [], holidays.data?.regional ?? [], en),
    [holidays.data, en],
  );

  if (session?.user.role !== 'admin') return <Alert type="warning" showIcon title={t('calendar.title')} description={t('calendar.adminOnly')} />;
  if (units.isLoading || holidays.isLoading) return <Spin />;
  if (holidays.error) return <Alert type="error" showIcon title={t('calendar.failed', { reason: holidays.error.message })} />;
  const county = countyOf(units.data, session.user.org_unit);
  const notice = holidays.data?.notices.find((n) => n.year === year);

  return (
    <Flex vertical gap={12}>
      <Heading level={2}>{t('calendar.title')}</Heading>
      <Muted>{t('calendar.intro')}</Muted>
      <Flex gap={8} align="center" wrap>
        <Button icon={<LeftOutlined />} aria-label={t('calendar.prevYear')} title={t('calendar.prevYear')} onClick={() => setYear(year - 1)} disabled={year <= 2000} />
        <DatePicker
          picker="year" allowClear={false} value={dayjs(`${year}-01-01`)} aria-label={t('calendar.pickYear')} data-testid="calendar-year"
          onChange={(d) => d && setYear(d.year())} style={{ width: 120 }}
        />
        <Button icon={<RightOutlined />} aria-label={t('calendar.nextYear')} title={t('calendar.nextYear')} onClick={() => setYear(year + 1)} disabled={year >= 2999} />
        <div style={{ marginLeft: 16 }}><Legend /></div>
      </Flex>
      {/* The months beside the notice; the notice below them on a narrow screen. */}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'flex-start' }}>
        <div style={{ flex: '3 1 700px', minWidth: 0 }}>
          <YearGrid year={year} marked={marked} />
        </div>
        <Flex vertical gap={12} style={{ flex: '1 1 360px', minWidth: 0 }}>
          <NoticePanel year={year} notice={notice} editable={!county} />
          <Regional year={year} days={holidays.data?.regional ?? []} county={county} units={units.data ?? []} />
        </Flex>
      </div>
    </Flex>
  );
}

/** NoticePanel is the year's State Council notice, or the warning that it has none. */
function NoticePanel({ year, notice, editable }: { year: number; notice?: Notice; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const writes = useCalendarWrites();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const rows = useMemo(() => rowsOf(notice?.days ?? []), [notice]);
  const remove = async () => {
    setBusy(true);
    try {
      await writes.deleteNotice(year);
      setDeleting(false);
      void notify('success', t('calendar.deleted', { year }));
    } catch (e) {
      void notify('error', t('calendar.failed', { reason: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const days = notice?.days ?? [];
  return (
    <Section title={t('calendar.notice')} testId="notice">
      {!notice ? (
        <Alert
          type="warning" showIcon data-testid="notice-missing" title={t('calendar.missing', { year })}
          description={editable
            ? <Button type="primary" onClick={() => setEditing(true)} style={{ marginTop: 4 }}>{t('calendar.enter')}</Button>
            : t('calendar.missingReadOnly')}
        />
      ) : (
        <Flex vertical gap={8}>
          <strong data-testid="notice-title-shown">{notice.title}</strong>
          <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '2px 12px', margin: 0 }}>
            <dt><Muted>{t('calendar.issued')}</Muted></dt><dd style={{ margin: 0 }}>{notice.issued}</dd>
            <dt><Muted>{t('calendar.enteredBy')}</Muted></dt>
            <dd style={{ margin: 0 }} data-testid="notice-entered">
              {notice.entered_by
                ? `${notice.entered_by}${notice.entered_at ? ` · ${dayjs(notice.entered_at).format('YYYY-MM-DD HH:mm')}` : ''}`
                : t('calendar.builtIn')}
            </dd>
          </dl>
          <Muted>{t('calendar.summary', { holidays: days.filter((d) => !d.workday).length, makeup: days.filter((d) => d.workday).length })}</Muted>
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="notice-days">
            {rows.map((r) => (
              <li key={r.key}><Swatch kind={r.workday ? 'makeup' : 'holiday'} /> {(en && r.name_en) || r.name} <Muted>{spanText(r, '–')}</Muted></li>
            ))}
          </ul>
          {editable ? (
            <Space wrap>
              <Button onClick={() => setEditing(true)}>{t('calendar.replace')}</Button>
              <Button danger onClick={() => setDeleting(true)}>{t('calendar.delete')}</Button>
            </Space>
          ) : (
            <Muted>{t('calendar.readOnly')}</Muted>
          )}
        </Flex>
      )}
      <Modal
        open={deleting} title={t('calendar.deleteConfirm', { year })} okText={t('calendar.delete')} okButtonProps={{ danger: true }}
        cancelText={t('calendar.cancel')} confirmLoading={busy} onOk={() => void remove()} onCancel={() => setDeleting(false)}
      >
        {t('calendar.deleteHint')}
      </Modal>
      {editing && <NoticeForm year={year} notice={notice} onClose={() => setEditing(false)} />}
    </Section>
  );
}
