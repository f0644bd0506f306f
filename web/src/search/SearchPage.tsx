import './messages';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Input, Select, Space, Switch, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { orgUnitName, useOrgUnits } from '../api/org';
import { saveBlob } from '../components/download';
import { notify } from '../components/notify';
import { Danger, Heading, Muted } from '../components/text';
import { fmt, fmtDue } from '../case/format';
import { filterOf, paramsOf, type Filter } from './filter';
import { exportCSV, useSearch, useStepNames, type CaseRow } from './queries';

const matters = ['petition', 'mediation', 'legal_aid', 'notarization', 'consultation', 'grid_event'] as const;
const levels = ['group', 'village', 'town', 'banner', 'government'] as const;

/** SearchPage is 案件查询: GET /v1/cases with its filters, which live in the URL so that a search can be bookmarked and shared. */
export function SearchPage() {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const [params, setParams] = useSearchParams();
  const f = filterOf(params);
  const [text, setText] = useState(f.q ?? '');
  useEffect(() => setText(f.q ?? ''), [f.q]); // back and forward bring their own text
  const units = useOrgUnits();
  const search = useSearch(f);
  const rows = search.data?.pages.flatMap((p) => p.items ?? []) ?? [];
  const steps = useStepNames(rows);
  const [exporting, setExporting] = useState(false);

  const set = (patch: Filter) => setParams(paramsOf({ ...f, ...patch }));
  const select = (key: keyof Filter, options: { value: string; label: string }[], label: string, width = 140) => (
    <Select
      allowClear
      aria-label={label}
      placeholder={label}
      style={{ width }}
      value={f[key]}
      onChange={(v?: string) => set({ [key]: v })}
      options={options}
      data-testid={`filter-${key}`}
    />
  );

  async function download() {
    setExporting(true);
    try {
      saveBlob(await exportCSV(f), `${t('search.exportName')}-${dayjs().format('YYYYMMDD-HHmm')}.csv`);
      void notify('success', t('search.exported'));
    } catch (e) {
      void notify('error', t('error.generic', { reason: (e as Error).message }));
    } finally {
      setExporting(false);
    }
  }

  const stepOf = (r: CaseRow) => {
    if (r.status === 'closed') return t('search.closedStep');
    const n = steps.get(`${r.procedure_key}@${r.procedure_version}/${r.step}`);
    return (n && (en ? n.en : n.zh)) || r.step;
  };

  const columns: ColumnsType<CaseRow> = [
    {
      title: t('search.number'), dataIndex: 'number', width: 168,
      render: (n: string, r) => <Link to={`/cases/${r.id}`} style={{ whiteSpace: 'nowrap' }}>{n}</Link>,
    },
    { title: t('search.matter'), dataIndex: 'matter', width: 76, render: (m: string) => t(`matter.${m}`, { defaultValue: m }) },
    { title: t('search.subject'), dataIndex: 'subject', ellipsis: true },
    { title: t('search.resident'), dataIndex: 'resident_name', width: 76, ellipsis: true },
    {
      title: t('search.status'), key: 'status', width: 96,
      render: (_, r) => (
        <Flex gap={4} wrap>
          <Tag color={r.status === 'open' ? 'processing' : 'default'}>{t(`status.${r.status}`, { defaultValue: r.status })}</Tag>
          {r.overdue && <Tag color="#cf1322">{t('search.overdueYes')}</Tag>}
        </Flex>
      ),
    },
    { title: t('search.step'), key: 'step', width: 100, ellipsis: true, render: (_, r) => stepOf(r) },
    {
      title: t('search.orgUnit'), key: 'unit', width: 140, ellipsis: true,
      render: (_, r) => `${orgUnitName(units.data, r.org_unit, en)}（${t(`level.${r.level}`, { defaultValue: r.level })}）`,
    },
    { title: t('search.receivedAt'), dataIndex: 'received_at', width: 148, render: (s: string) => <span style={{ whiteSpace: 'nowrap' }}>{fmt(s)}</span> },
    { title: t('search.dueAt'), dataIndex: 'due_at', width: 148, render: (s?: string) => <span style={{ whiteSpace: 'nowrap' }}>{fmtDue(s)}</span> },
  ];

  const range: [Dayjs | null, Dayjs | null] = [
    f.received_from ? dayjs(f.received_from) : null,
    f.received_to ? dayjs(f.received_to) : null,
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Heading level={2}>
          {t('search.title')}
          <Muted style={{ fontSize: 14, marginLeft: 12, fontWeight: 'normal' }}>
            {search.isSuccess && (search.hasNextPage ? t('search.shown', { count: rows.length }) : `${t('search.shown', { count: rows.length })}，${t('search.end')}`)}
          </Muted>
        </Heading>
        <Button icon={<DownloadOutlined />} onClick={() => void download()} loading={exporting} data-testid="export">
          {t('search.export')}
        </Button>
      </Flex>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: text.trim() || undefined });
        }}
      >
        <Flex gap={8} wrap align="center">
          <Input
            allowClear
            aria-label={t('search.qLabel')}
            placeholder={t('search.q')}
            style={{ width: 260 }}
            value={text}
            maxLength={100}
            onChange={(e) => {
              setText(e.target.value);
              if (!e.target.value) set({ q: undefined }); // the clear button
            }}
            data-testid="filter-q"
          />
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('search.find')}</Button>
          {select('matter', matters.map((m) => ({ value: m, label: t(`matter.${m}`) })), t('search.matter'), 130)}
          {select('status', ['open', 'closed'].map((s) => ({ value: s, label: t(`status.${s}`) })), t('search.status'), 110)}
          {select('level', levels.map((l) => ({ value: l, label: t(`level.${l}`) })), t('search.level'), 150)}
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('search.unit')}
            placeholder={t('search.unit')}
            style={{ width: 220 }}
            value={f.org_unit}
            loading={units.isLoading}
            onChange={(v?: string) => set({ org_unit: v })}
            options={(units.data ?? []).map((u) => ({ value: u.code, label: (en && u.name_en) || u.name }))}
            data-testid="filter-org_unit"
          />
          <DatePicker.RangePicker
            aria-label={t('search.received')}
            placeholder={[t('search.from'), t('search.to')]}
            allowEmpty={[true, true]}
            value={range}
            onChange={(v) =>
              set({ received_from: v?.[0]?.format('YYYY-MM-DD'), received_to: v?.[1]?.format('YYYY-MM-DD') })
            }
          />
          {select('overdue', [{ value: 'true', label: t('search.overdueYes') }, { value: 'false', label: t('search.overdueNo') }], t('search.overdue'), 110)}
          <Space>
            <Switch id="mine-only" checked={f.mine === 'true'} onChange={(on) => set({ mine: on ? 'true' : undefined })} />
            <label htmlFor="mine-only">{t('search.mine')}</label>
          </Space>
          {params.toString() !== '' && (
            <Button type="link" onClick={() => setParams(new URLSearchParams())}>{t('search.reset')}</Button>
          )}
        </Flex>
      </form>
      {search.error && <Danger>{t('error.generic', { reason: search.error.message })}</Danger>}
      <Table<CaseRow>
        rowKey="id"
        size="small"
        loading={search.isLoading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: <Muted>{t('search.empty')}</Muted> }}
        data-testid="results"
      />
      {search.hasNextPage && (
        <Flex justify="center">
          <Button onClick={() => void search.fetchNextPage()} loading={search.isFetchingNextPage} data-testid="more">
            {t('search.more')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
}
