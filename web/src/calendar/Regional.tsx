import { DeleteOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Input, Modal, Select, Switch, Table } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { orgUnitName, type OrgUnit } from '../api/org';
import { notify } from '../components/notify';
import { Danger, Muted, Section } from '../components/text';
import { ApiError, useCalendarWrites, type Holiday } from './queries';
import { Swatch } from './YearGrid';

/**
 * Regional lists the year's regional holidays and make-up working days, with add and remove: a
 * county's administrator keeps their county's, the city's administrator those of any county or
 * of every county.
 */
export function Regional({ year, days, county, units }: { year: number; days: Holiday[]; county?: OrgUnit; units: OrgUnit[] }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const writes = useCalendarWrites();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Holiday>();
  const [busy, setBusy] = useState(false);
  const mine = days.filter((h) => h.date.startsWith(`${year}-`));
  const removable = (h: Holiday) => !county || h.county === county.code;
  const remove = async (h: Holiday) => {
    setBusy(true);
    try {
      await writes.deleteHoliday(h.date, h.region ?? '');
      setRemoving(undefined);
      void notify('success', t('calendar.removed', { name: h.name }));
    } catch (e) {
      void notify('error', t('calendar.failed', { reason: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('calendar.regional')} testId="regional">
      <Flex vertical gap={8}>
        {mine.length === 0 && <Muted>{t('calendar.noRegional', { year })}</Muted>}
        {mine.length > 0 && <Table<Holiday>
          size="small" pagination={false} dataSource={mine} rowKey={(h) => `${h.date}/${h.region}/${h.county ?? ''}`} data-testid="regional-days"
          columns={[
            { title: t('calendar.date'), dataIndex: 'date', width: 104 },
            {
              title: t('calendar.name'), key: 'name',
              render: (_, h) => (
                <Flex vertical>
                  <span><Swatch kind={h.workday ? 'makeup' : 'regional'} /> {(en && h.name_en) || h.name}{h.workday && ` · ${t('calendar.makeup')}`}</span>
                  <Muted>{h.region} · {h.county ? orgUnitName(units, h.county, en) : t('calendar.allCounties')}</Muted>
                </Flex>
              ),
            },
            {
              title: '', key: 'remove', width: 48,
              render: (_, h) => removable(h) && (
                <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={`${t('calendar.remove')} ${h.date} ${h.name}`} onClick={() => setRemoving(h)} />
              ),
            },
          ]}
        />}
        <Button onClick={() => setAdding(true)} style={{ alignSelf: 'flex-start' }}>{t('calendar.addRegional')}</Button>
      </Flex>
      <Modal
        open={!!removing} title={removing && t('calendar.removeConfirm', { date: removing.date, name: removing.name })} okText={t('calendar.remove')}
        okButtonProps={{ danger: true }} cancelText={t('calendar.cancel')} confirmLoading={busy} onOk={() => removing && void remove(removing)}
        onCancel={() => setRemoving(undefined)}
      />
      {adding && <AddRegional year={year} county={county} units={units} onClose={() => setAdding(false)} />}
    </Section>
  );
}

function AddRegional({ year, county, units, onClose }: { year: number; county?: OrgUnit; units: OrgUnit[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const writes = useCalendarWrites();
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [region, setRegion] = useState('');
  const [workday, setWorkday] = useState(false);
  const [forCounty, setForCounty] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const counties = units.filter((u) => u.level === 'government');
  const save = async () => {
    if (!date || !name.trim() || !region.trim()) {
      const missing = [!date && t('calendar.date'), !name.trim() && t('calendar.name'), !region.trim() && t('calendar.region')].filter(Boolean);
      setProblem(t('calendar.fieldRequired', { field: missing.join(t('calendar.and')) }));
      return;
    }
    setBusy(true);
    try {
      await writes.addHoliday({ date, name: name.trim(), region: region.trim(), workday: workday || undefined, county: forCounty || undefined });
      void notify('success', t('calendar.added', { name: name.trim() }));
      onClose();
    } catch (e) {
      const p = e instanceof ApiError ? e.problem : undefined;
      setProblem([(e as Error).message, ...(p?.errors ?? []).map((x) => x.message)].filter(Boolean).join('；'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('calendar.addRegional')} okText={t('calendar.add')} cancelText={t('calendar.cancel')} onOk={() => void save()} confirmLoading={busy} onCancel={onClose}>
      <Flex vertical gap={10} data-testid="regional-form">
        <label>
          <div>{t('calendar.date')}</div>
          <DatePicker value={date ? dayjs(date) : null} onChange={(d) => setDate(d ? d.format('YYYY-MM-DD') : '')} aria-label={t('calendar.date')} defaultPickerValue={dayjs(`${year}-01-01`)} />
        </label>
        <label>
          <div>{t('calendar.name')}</div>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="那达慕大会" />
        </label>
        <label>
          <div>{t('calendar.region')}</div>
          <Input value={region} onChange={(e) => setRegion(e.target.value)} maxLength={100} placeholder={t('calendar.regionExample')} />
        </label>
        <label style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}>
          <Switch size="small" checked={workday} onChange={setWorkday} aria-label={t('calendar.workdayRegional')} />
          <span>{t('calendar.workdayRegional')}</span>
        </label>
        <div>
          <div id="regional-county">{t('calendar.county')}</div>
          {county ? (
            <span>{orgUnitName(units, county.code, en)}</span>
          ) : (
            <Select
              aria-labelledby="regional-county" value={forCounty} onChange={setForCounty} style={{ minWidth: 220 }}
              options={[{ value: '', label: t('calendar.allCounties') }, ...counties.map((u) => ({ value: u.code, label: (en && u.name_en) || u.name }))]}
            />
          )}
        </div>
        {problem && <Danger>{problem}</Danger>}
      </Flex>
    </Modal>
  );
}
