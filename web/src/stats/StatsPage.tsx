import './messages';
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Col, Flex, Row, Segmented, Skeleton } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { orgUnitName, useOrgUnits } from '../api/org';
import { SmallTable } from '../case/SmallTable';
import { saveBlob, toCSV } from '../components/download';
import { Figure, figureGrid } from '../components/Figure';
import { PeriodFilter, usePeriod } from '../components/PeriodFilter';
import { Danger, Heading, Muted, Section } from '../components/text';
import { EChart, type ChartOption } from './EChart';
import { buckets, defaultPeriod } from './periods';
import { useStats, useStatsOf, type Stats, type StatsQuery } from './queries';
import { unitsBelow } from './units';

const matters = ['petition', 'mediation', 'legal_aid', 'notarization', 'consultation', 'grid_event'] as const;
const levels = ['group', 'village', 'town', 'banner', 'government'] as const;
const color = { received: '#0958d9', closed: '#237804', overdue: '#cf1322', firstVisit: '#ad4e00', mediation: '#531dab' };

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

type Col = { key: string; title: string };
type Cell = string | number;

/** ChartCard is a chart with its data as a table one click away, and the table as CSV. */
function ChartCard({ title, option, columns, rows, name, testId, loading, error }: {
  title: string; option: ChartOption; columns: Col[]; rows: Record<string, Cell>[]; name: string; testId: string;
  loading: boolean; error: Error | null;
}) {
  const { t } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const csv = () => {
    const text = toCSV(columns.map((c) => c.title), rows.map((r) => columns.map((c) => r[c.key] ?? '')));
    saveBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), `${name}.csv`);
  };
  let body: ReactNode;
  if (error) body = <Danger>{t('error.generic', { reason: error.message })}</Danger>;
  else if (loading) body = <Skeleton active />;
  else if (view === 'chart') body = <EChart option={option} label={t('stats.chartLabel', { title })} testId={`${testId}-chart`} />;
  else
    body = (
      <SmallTable<Record<string, Cell>>
        rows={rows}
        rowKey={(r) => String(r[columns[0]!.key])}
        empty="—"
        testId={`${testId}-table`}
        columns={columns.map((c) => ({ key: c.key, title: c.title, render: (r) => r[c.key] }))}
      />
    );
  return (
    <Section title={title} testId={testId}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }} wrap gap={8}>
        <Segmented<'chart' | 'table'>
          size="small"
          value={view}
          onChange={setView}
          options={[{ value: 'chart', label: t('stats.chart') }, { value: 'table', label: t('stats.table') }]}
          aria-label={title}
        />
        <Button size="small" icon={<DownloadOutlined />} onClick={csv} disabled={loading || !!error} data-testid={`${testId}-csv`}>
          {t('stats.csv')}
        </Button>
      </Flex>
      {body}
    </Section>
  );
}

// ECharts reads a key set to undefined as a value: options leave out what they do not set.
const bars = (categories: string[], series: { name: string; data: number[]; color: string }[]): ChartOption => ({
  tooltip: { trigger: 'axis' },
  legend: { top: 0 },
  grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
  // Many units' names side by side do not fit: slanted, each is shown.
  xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 } },
  yAxis: { type: 'value', minInterval: 1 },
  series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, itemStyle: { color: s.color }, barMaxWidth: 28 })),
});

/** StatsPage is 统计: the figures of GET /v1/stats for a period and a unit, per week, by unit, matter and level. */
export function StatsPage() {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const [period, set] = usePeriod(defaultPeriod());
  const { from, to, org_unit: unit } = period;
  const units = useOrgUnits();
  const base: StatsQuery = { from, to, org_unit: unit };
  const total = useStats(base);
  const { unit: bucket, periods } = useMemo(() => buckets(from, to), [from, to]);
  const perPeriod = useStatsOf(periods.map((p) => ({ ...base, from: p.from, to: p.to })));
  const compared = useMemo(() => unitsBelow(units.data ?? [], unit), [units.data, unit]);
  const byUnit = useStatsOf(compared.map((u) => ({ ...base, org_unit: u.code })));
  const byMatter = useStatsOf(matters.map((m) => ({ ...base, matter: m })));
  const byLevel = useStatsOf(levels.map((l) => ({ ...base, level: l })));
  const s = total.data;
  const name = (what: string) => `${t('stats.title')}-${what}-${from}-${to}`;

  const periodLabel = bucket === 'week' ? t('stats.week') : t('stats.month');
  const periodRows = periods.map((p, i) => {
    const x = perPeriod.data?.[i];
    return {
      period: p.label, received: x?.received ?? 0, closed: x?.closed ?? 0,
      first_visit_rate: pct(x?.first_visit_rate ?? 0), mediation_success_rate: pct(x?.mediation_success_rate ?? 0),
      fv: x?.first_visit_rate ?? 0, ms: x?.mediation_success_rate ?? 0,
    };
  });
  const breakdown = (list: { key: string; label: string }[], data: Stats[] | undefined) =>
    list.map((x, i) => {
      const d = data?.[i];
      return { key: x.key, label: x.label, received: d?.received ?? 0, closed: d?.closed ?? 0, overdue: d?.overdue ?? 0, overdue_rate: pct(d?.overdue_rate ?? 0) };
    });
  const unitRows = breakdown(compared.map((u) => ({ key: u.code, label: orgUnitName(compared, u.code, en) })), byUnit.data);
  const matterRows = breakdown(matters.map((m) => ({ key: m, label: t(`matter.${m}`) })), byMatter.data);
  const levelRows = breakdown(levels.map((l) => ({ key: l, label: t(`level.${l}`) })), byLevel.data);
  const breakdownCols = (first: string): Col[] => [
    { key: 'label', title: first }, { key: 'received', title: t('stats.received') }, { key: 'closed', title: t('stats.closed') },
    { key: 'overdue', title: t('stats.overdue') }, { key: 'overdue_rate', title: t('stats.overdueRate') },
  ];
  const breakdownChart = (rows: ReturnType<typeof breakdown>, overdueOnly = false) =>
    bars(
      rows.map((r) => r.label),
      overdueOnly
        ? [{ name: t('stats.overdue'), data: rows.map((r) => r.overdue), color: color.overdue }]
        : [
            { name: t('stats.received'), data: rows.map((r) => r.received), color: color.received },
            { name: t('stats.closed'), data: rows.map((r) => r.closed), color: color.closed },
            { name: t('stats.overdue'), data: rows.map((r) => r.overdue), color: color.overdue },
          ],
    );

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Heading level={2}>{t('stats.title')}</Heading>
        <PeriodFilter period={period} set={set} words="stats" />
      </Flex>
      <Muted>{t('stats.note')}</Muted>
      {total.error && <Danger>{t('error.generic', { reason: total.error.message })}</Danger>}
      <div style={figureGrid} data-testid="stats-figures">
        {!s ? (
          <Skeleton active paragraph={{ rows: 1 }} style={{ gridColumn: '1 / -1' }} />
        ) : (
          <>
            <Figure label={t('stats.received')} value={s.received} testId="figure-received" />
            <Figure label={t('stats.closed')} value={s.closed} testId="figure-closed" />
            <Figure label={t('stats.firstVisitRate')} value={pct(s.first_visit_rate)} testId="figure-first-visit" />
            <Figure label={t('stats.mediationSuccessRate')} value={pct(s.mediation_success_rate)} testId="figure-mediation" />
            <Figure label={t('stats.escalated')} value={s.escalated} testId="figure-escalated" />
            <Figure label={t('stats.overdue')} value={s.overdue} rate={pct(s.overdue_rate)} testId="figure-overdue" />
            <Figure label={t('stats.repeated')} value={s.repeated} rate={pct(s.repeated_rate)} testId="figure-repeated" />
            <Figure label={t('stats.groupMatters')} value={s.group_matters} rate={pct(s.group_matters_rate)} testId="figure-group" />
            <Figure label={t('stats.avgWorkdays')} value={s.avg_handling_workdays.toFixed(1)} testId="figure-workdays" />
          </>
        )}
      </div>
      <ChartCard
        title={bucket === 'week' ? t('stats.weekly') : t('stats.monthly')}
        testId="chart-weekly"
        name={name(bucket === 'week' ? t('stats.weekly') : t('stats.monthly'))}
        loading={!perPeriod.data}
        error={perPeriod.error}
        columns={[
          { key: 'period', title: periodLabel }, { key: 'received', title: t('stats.received') }, { key: 'closed', title: t('stats.closed') },
        ]}
        rows={periodRows}
        option={{
          tooltip: { trigger: 'axis' },
          legend: { top: 0 },
          grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
          xAxis: { type: 'category', data: periodRows.map((r) => r.period) },
          yAxis: { type: 'value', minInterval: 1 },
          series: [
            { type: 'bar', name: t('stats.received'), data: periodRows.map((r) => r.received), itemStyle: { color: color.received }, barMaxWidth: 24 },
            { type: 'line', name: t('stats.closed'), data: periodRows.map((r) => r.closed), itemStyle: { color: color.closed }, lineStyle: { width: 2 } },
          ],
        }}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <ChartCard
            title={t('stats.rates')}
            testId="chart-rates"
            name={name(t('stats.rates'))}
            loading={!perPeriod.data}
            error={perPeriod.error}
            columns={[
              { key: 'period', title: periodLabel }, { key: 'first_visit_rate', title: t('stats.firstVisitRate') },
              { key: 'mediation_success_rate', title: t('stats.mediationSuccessRate') },
            ]}
            rows={periodRows}
            option={{
              tooltip: { trigger: 'axis', valueFormatter: (v) => pct(Number(v)) },
              legend: { top: 0 },
              grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
              xAxis: { type: 'category', data: periodRows.map((r) => r.period) },
              yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
              series: [
                { type: 'line', name: t('stats.firstVisitRate'), data: periodRows.map((r) => r.fv), itemStyle: { color: color.firstVisit } },
                { type: 'line', name: t('stats.mediationSuccessRate'), data: periodRows.map((r) => r.ms), itemStyle: { color: color.mediation }, lineStyle: { type: 'dashed' } },
              ],
            }}
          />
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard
            title={t('stats.byUnit')}
            testId="chart-units"
            name={name(t('stats.byUnit'))}
            loading={units.isLoading || !byUnit.data}
            error={byUnit.error}
            columns={breakdownCols(t('stats.unitCol'))}
            rows={unitRows}
            option={breakdownChart(unitRows, true)}
          />
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard
            title={t('stats.byMatter')}
            testId="chart-matters"
            name={name(t('stats.byMatter'))}
            loading={!byMatter.data}
            error={byMatter.error}
            columns={breakdownCols(t('stats.matter'))}
            rows={matterRows}
            option={breakdownChart(matterRows)}
          />
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard
            title={t('stats.byLevel')}
            testId="chart-levels"
            name={name(t('stats.byLevel'))}
            loading={!byLevel.data}
            error={byLevel.error}
            columns={breakdownCols(t('stats.level'))}
            rows={levelRows}
            option={breakdownChart(levelRows)}
          />
        </Col>
      </Row>
    </Flex>
  );
}
