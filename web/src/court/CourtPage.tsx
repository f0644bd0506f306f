import './messages';
import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Flex, InputNumber, Skeleton, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { Figure, figureGrid } from '../components/Figure';
import { notify } from '../components/notify';
import { PeriodFilter, usePeriod } from '../components/PeriodFilter';
import { Danger, Heading, Muted, Section } from '../components/text';
import { useCourtImports, useCourtIntake, useCourtStats, useImportCourt, useSetIntake, type CourtImport, type CourtIntake, type CourtRow } from './queries';

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
// Dark enough for white text (axe's contrast check), as the queue's time-left tags.
const statusColor = { applied: '#237804', unchanged: 'default', failed: '#cf1322' } as const;

/**
 * CourtPage is 诉调对接: the disputes referred to the court's pre-litigation mediation in a period
 * (GET /v1/court/stats), the import of the court platform's export for clerks
 * (POST /v1/court/results) with what became of each row, the imports made, and the court's
 * monthly count of new civil and commercial cases, entered by the county's supervisors.
 */
export function CourtPage() {
  const { t } = useTranslation();
  const role = useSession()?.user.role;
  const [period, set] = usePeriod({ from: dayjs().startOf('year').format('YYYY-MM-DD'), to: dayjs().format('YYYY-MM-DD') });
  const stats = useCourtStats(period);
  const s = stats.data;
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Heading level={2}>{t('court.title')}</Heading>
        <PeriodFilter period={period} set={set} words="court" />
      </Flex>
      <Muted>{t('court.note')}</Muted>
      {stats.error && <Danger>{t('error.generic', { reason: stats.error.message })}</Danger>}
      <div style={figureGrid} data-testid="court-figures">
        {!s ? (
          <Skeleton active paragraph={{ rows: 1 }} style={{ gridColumn: '1 / -1' }} />
        ) : (
          <>
            <Figure label={t('court.referred')} value={s.court_referred} testId="court-referred" />
            <Figure label={t('court.concluded')} value={s.court_concluded} testId="court-concluded" />
            <Figure label={t('court.succeeded')} value={s.court_succeeded} testId="court-succeeded" />
            <Figure label={t('court.rate')} value={s.court_concluded ? pct(s.court_success_rate) : '—'} hint={t('court.rateHint')} testId="court-rate" />
            <Figure label={t('court.civil')} value={s.court_civil_commercial || '—'} testId="court-civil" />
            <Figure label={t('court.share')} value={s.court_civil_commercial ? pct(s.court_share) : '—'} hint={t('court.shareHint')} testId="court-share" />
          </>
        )}
      </div>
      {role === 'clerk' && <ImportSection />}
      <ImportsSection />
      {(role === 'supervisor' || role === 'admin') && <IntakeSection />}
    </Flex>
  );
}

/** ImportSection sends the court's export and shows what became of each row, or why the file was refused. */
function ImportSection() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const send = useImportCourt();
  const [done, setDone] = useState<CourtImport>();
  const problem = send.error instanceof ApiError ? send.error.problem : undefined;
  // The server names a row's problem at "body.file: row N, column C", the file's at "body.file".
  const where = (location?: string) => {
    const m = /row (\d+), column (.+)$/.exec(location ?? '');
    return m ? t('court.atRow', { row: m[1], column: m[2] }) : t('court.theFile');
  };

  function pick(file: File | undefined) {
    if (!file) return;
    setDone(undefined);
    send.mutate(file, {
      onSuccess: (imp) => {
        setDone(imp);
        void notify('success', t('court.imported', { file: imp.file_name, applied: imp.applied, unchanged: imp.unchanged, failed: imp.failed }));
      },
    });
    if (input.current) input.current.value = '';
  }

  return (
    <Section title={t('court.import')} testId="court-import">
      <Flex vertical gap={12}>
        <Muted>{t('court.importHint')}</Muted>
        <div>
          <input
            ref={input}
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-label={t('court.choose')}
            style={{ display: 'none' }}
            onChange={(e) => pick(e.target.files?.[0])}
            data-testid="court-file"
          />
          <Button type="primary" icon={<UploadOutlined />} loading={send.isPending} onClick={() => input.current?.click()}>
            {t('court.choose')}
          </Button>
        </div>
        {send.error && (
          <Alert
            type="error"
            showIcon
            data-testid="court-refused"
            title={t('court.refused', { reason: send.error.message })}
            description={
              problem?.errors?.length ? (
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {problem.errors.map((e, i) => (
                    <li key={i}>
                      {where(e.location)}
                      {e.value !== undefined && e.value !== null && e.value !== '' ? `（${String(e.value)}）` : ''}：{e.message}
                    </li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        )}
        {done && <RowsTable rows={done.results ?? []} />}
      </Flex>
    </Section>
  );
}

function RowsTable({ rows }: { rows: CourtRow[] }) {
  const { t } = useTranslation();
  const columns: ColumnsType<CourtRow> = [
    { title: t('court.row'), dataIndex: 'row', key: 'row', width: 60, align: 'right' },
    { title: t('court.caseNumber'), key: 'case', render: (_, r) => <Link to={`/cases/${r.case_number}`}>{r.case_number}</Link> },
    { title: t('court.courtRef'), dataIndex: 'court_ref', key: 'ref' },
    { title: t('court.result'), key: 'result', render: (_, r) => t(`court.results.${r.result}`) },
    { title: t('court.status'), key: 'status', render: (_, r) => <Tag color={statusColor[r.status]}>{t(`court.statuses.${r.status}`)}</Tag> },
    { title: t('court.message'), dataIndex: 'message', key: 'message' },
  ];
  return <Table<CourtRow> rowKey="row" size="small" columns={columns} dataSource={rows} pagination={false} data-testid="court-rows" />;
}

function ImportsSection() {
  const { t } = useTranslation();
  const imports = useCourtImports();
  const columns: ColumnsType<CourtImport> = [
    { title: t('court.at'), key: 'at', width: 170, render: (_, r) => dayjs(r.imported_at).format('YYYY-MM-DD HH:mm') },
    { title: t('court.file'), dataIndex: 'file_name', key: 'file' },
    { title: t('court.by'), dataIndex: 'imported_by', key: 'by', width: 140 },
    { title: t('court.rows'), dataIndex: 'rows', key: 'rows', width: 80, align: 'right' },
    { title: t('court.applied'), dataIndex: 'applied', key: 'applied', width: 80, align: 'right' },
    { title: t('court.unchanged'), dataIndex: 'unchanged', key: 'unchanged', width: 80, align: 'right' },
    { title: t('court.failed'), key: 'failed', width: 80, align: 'right', render: (_, r) => (r.failed > 0 ? <Tag color="#cf1322">{r.failed}</Tag> : 0) },
  ];
  return (
    <Section title={t('court.imports')} testId="court-imports">
      {imports.error && <Danger>{t('error.generic', { reason: imports.error.message })}</Danger>}
      <Table<CourtImport>
        rowKey="id"
        size="small"
        loading={imports.isLoading}
        columns={columns}
        dataSource={imports.data ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: <Muted>{t('court.noImports')}</Muted> }}
        expandable={{ expandedRowRender: (r) => <RowsTable rows={r.results ?? []} /> }}
      />
    </Section>
  );
}

function IntakeSection() {
  const { t } = useTranslation();
  const intake = useCourtIntake();
  const save = useSetIntake();
  const [month, setMonth] = useState<Dayjs | null>(dayjs().startOf('month'));
  const [count, setCount] = useState<number | null>(null);
  const columns: ColumnsType<CourtIntake> = [
    { title: t('court.month'), dataIndex: 'month', key: 'month', width: 100 },
    { title: t('court.count'), dataIndex: 'civil_commercial', key: 'count', align: 'right', width: 160 },
    { title: t('court.enteredBy'), dataIndex: 'entered_by', key: 'by' },
  ];
  return (
    <Section title={t('court.intake')} testId="court-intake">
      <Flex vertical gap={12}>
        <Flex gap={8} wrap align="center">
          <DatePicker picker="month" value={month} onChange={setMonth} allowClear={false} aria-label={t('court.month')} data-testid="court-intake-month" />
          <InputNumber<number> min={0} max={10_000_000} value={count} onChange={setCount} aria-label={t('court.count')} placeholder={t('court.count')} style={{ width: 200 }} data-testid="court-intake-count" />
          <Button
            type="primary"
            disabled={!month || count === null}
            loading={save.isPending}
            onClick={() =>
              month && count !== null &&
              save.mutate(
                { month: month.format('YYYY-MM'), count },
                {
                  onSuccess: (r) => void notify('success', t('court.saved', { month: r.month })),
                  onError: (e) => void notify('error', t('error.generic', { reason: e.message })),
                },
              )
            }
          >
            {t('court.save')}
          </Button>
        </Flex>
        <Table<CourtIntake>
          rowKey={(r) => `${r.org_unit}/${r.month}`}
          size="small"
          loading={intake.isLoading}
          columns={columns}
          dataSource={intake.data ?? []}
          pagination={{ pageSize: 12, hideOnSinglePage: true }}
          locale={{ emptyText: <Muted>{t('court.noIntake')}</Muted> }}
        />
      </Flex>
    </Section>
  );
}
