import { DatePicker, Flex, Select } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useOrgUnits } from '../api/org';

const day = /^\d{4}-\d{2}-\d{2}$/;

/** Period is a period of days and, optionally, an org unit, as the statistics and the assessment take them. */
export type Period = { from: string; to: string; org_unit?: string };

/**
 * usePeriod reads the period and the unit from the page's URL (from, to, org_unit), so that a
 * reload or a shared link shows the same figures; dflt gives the days the URL does not.
 */
export function usePeriod(dflt: { from: string; to: string }): [Period, (p: Partial<Record<keyof Period, string>>) => void] {
  const [params, setParams] = useSearchParams();
  const from = day.test(params.get('from') ?? '') ? params.get('from')! : dflt.from;
  const to = day.test(params.get('to') ?? '') ? params.get('to')! : dflt.to;
  const set = (p: Partial<Record<keyof Period, string>>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(p)) if (v) next.set(k, v); else next.delete(k);
    setParams(next);
  };
  return [{ from, to, org_unit: params.get('org_unit') || undefined }, set];
}

/**
 * PeriodFilter is the period's date range and the unit's picker of a figures page. words is the
 * page's namespace of words (its period, from, to, unit and allUnits), which also prefixes the
 * controls' test ids; children follow the pickers (a download).
 */
export function PeriodFilter({ period, set, words, children }: {
  period: Period;
  set: (p: Partial<Record<keyof Period, string>>) => void;
  words: 'stats' | 'assessment' | 'court';
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const w = (k: string) => t(`${words}.${k}`);
  const testId = words;
  const en = !i18n.language.startsWith('zh');
  const units = useOrgUnits();
  return (
    <Flex gap={8} wrap align="center">
      <DatePicker.RangePicker
        aria-label={w('period')}
        placeholder={[w('from'), w('to')]}
        allowClear={false}
        value={[dayjs(period.from), dayjs(period.to)]}
        onChange={(v) => v?.[0] && v[1] && set({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') })}
        data-testid={`${testId}-period`}
      />
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        aria-label={w('unit')}
        placeholder={w('allUnits')}
        style={{ width: 240 }}
        value={period.org_unit}
        loading={units.isLoading}
        onChange={(v?: string) => set({ org_unit: v })}
        options={(units.data ?? []).map((u) => ({ value: u.code, label: (en && u.name_en) || u.name }))}
        data-testid={`${testId}-unit`}
      />
      {children}
    </Flex>
  );
}
