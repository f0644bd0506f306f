import './messages';
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Flex, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { saveBlob } from '../components/download';
import { nameOf } from '../components/names';
import { notify } from '../components/notify';
import { PeriodFilter, usePeriod } from '../components/PeriodFilter';
import { Danger, Heading, Muted } from '../components/text';
import { assessmentBook, useAssessment, type AssessmentQuery, type AssessmentRow } from './queries';

const pct = (r?: number) => (r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);
const keyOf = (r: AssessmentRow) => `${r.org_unit ?? ''}/${r.department ?? ''}`;
const numbers = ['handled', 'on_time', 'late', 'escalated', 'reviewed', 'overdue_open', 'evaluations', 'findings'] as const;

/**
 * AssessmentPage is 考评: per unit (its own staff) and per stationed department in the reader's
 * scope, the tasks finished in a period, on time and late, passed up, overdue now, the
 * residents' satisfaction and the findings of 督办查究 — GET /v1/assessment, and its XLSX.
 */
export function AssessmentPage() {
  const { t, i18n } = useTranslation();
  // The year so far, as the yearly review (考评) counts it.
  const [period, set] = usePeriod({ from: dayjs().startOf('year').format('YYYY-MM-DD'), to: dayjs().format('YYYY-MM-DD') });
  const { from, to } = period;
  const query: AssessmentQuery = period;
  const a = useAssessment(query);
  const rows = a.data?.rows ?? [];
  const [busy, setBusy] = useState(false);

  async function download() {
    setBusy(true);
    try {
      saveBlob(await assessmentBook(query), `${t('assessment.title')}-${from}-${to}.xlsx`);
      void notify('success', t('assessment.downloaded'));
    } catch (e) {
      void notify('error', t('error.generic', { reason: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  const sum = (k: (typeof numbers)[number]) => rows.reduce((n, r) => n + r[k], 0);
  const num = (key: (typeof numbers)[number], title: string, late = false): ColumnsType<AssessmentRow>[number] => ({
    title, dataIndex: key, key, align: 'right', width: 80,
    sorter: (x, y) => x[key] - y[key],
    render: (v: number) => (late && v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
  });
  const columns: ColumnsType<AssessmentRow> = [
    {
      title: t('assessment.holder'), key: 'holder', fixed: 'left', width: 160,
      sorter: (x, y) => x.name.localeCompare(y.name, 'zh-CN'),
      render: (_, r) => (r.department ? nameOf(a.data?.names, 'departments', r.department, i18n.language) : nameOf(a.data?.names, 'units', r.org_unit, i18n.language)),
    },
    {
      title: t('assessment.kind'), key: 'kind', width: 130,
      render: (_, r) =>
        r.department ? (
          <Tag color="purple">{t('assessment.stationed', { unit: nameOf(a.data?.names, 'units', r.org_unit, i18n.language) })}</Tag>
        ) : (
          <Tag>{t('assessment.own')}</Tag>
        ),
    },
    num('handled', t('assessment.handled')),
    num('on_time', t('assessment.onTime')),
    num('late', t('assessment.late'), true),
    {
      title: t('assessment.onTimeRate'), key: 'rate', align: 'right', width: 80,
      sorter: (x, y) => (x.on_time_rate ?? -1) - (y.on_time_rate ?? -1),
      render: (_, r) => pct(r.on_time_rate),
    },
    num('escalated', t('assessment.escalated')),
    num('reviewed', t('assessment.reviewed'), true),
    num('overdue_open', t('assessment.overdueOpen'), true),
    num('evaluations', t('assessment.evaluations')),
    {
      title: t('assessment.satisfaction'), key: 'satisfaction', align: 'right', width: 80,
      sorter: (x, y) => (x.satisfaction ?? 0) - (y.satisfaction ?? 0),
      render: (_, r) => (r.satisfaction === undefined ? '—' : r.satisfaction.toFixed(2)),
    },
    num('findings', t('assessment.findings'), true),
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Heading level={2}>{t('assessment.title')}</Heading>
        <PeriodFilter period={period} set={set} words="assessment">
          <Button icon={<DownloadOutlined />} onClick={() => void download()} loading={busy} disabled={!a.data} data-testid="assessment-xlsx">
            {t('assessment.xlsx')}
          </Button>
        </PeriodFilter>
      </Flex>
      <Muted>{t('assessment.note')}</Muted>
      {a.error && <Danger>{t('error.generic', { reason: a.error.message })}</Danger>}
      <Table<AssessmentRow>
        rowKey={keyOf}
        size="middle"
        loading={a.isLoading}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: t('assessment.empty') }}
        data-testid="assessment-table"
        summary={() =>
          rows.length > 0 && (
            <Table.Summary fixed>
              <Table.Summary.Row data-testid="assessment-total">
                <Table.Summary.Cell index={0} colSpan={2}>
                  <strong>{t('assessment.total')}</strong>
                </Table.Summary.Cell>
                {numbers.slice(0, 3).map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 2} align="right">{sum(k)}</Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={5} align="right">
                  {sum('handled') > 0 ? pct(sum('on_time') / sum('handled')) : '—'}
                </Table.Summary.Cell>
                {numbers.slice(3, 7).map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 6} align="right">{sum(k)}</Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={10} align="right">—</Table.Summary.Cell>
                <Table.Summary.Cell index={11} align="right">{sum('findings')}</Table.Summary.Cell>
              </Table.Summary.Row>
            </Table.Summary>
          )
        }
      />
    </Flex>
  );
}
