import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { iso, kindOf, monthGrid, type Kind, type Marked } from './days';

/** The colours of the kinds of day: each text at least 4.5:1 on its background (WCAG AA). */
export const kindStyle: Record<Kind, { background: string; color: string; border: string }> = {
  workday: { background: '#ffffff', color: 'rgba(0, 0, 0, 0.88)', border: '#d9d9d9' },
  weekend: { background: '#f0f0f0', color: '#595959', border: '#bfbfbf' },
  holiday: { background: '#ffccc7', color: '#820014', border: '#ff7875' },
  makeup: { background: '#ffe7ba', color: '#612500', border: '#ffa940' },
  regional: { background: '#d3adf7', color: '#22075e', border: '#9254de' },
};

export const kinds: Kind[] = ['workday', 'weekend', 'holiday', 'makeup', 'regional'];

/** Swatch is a kind's colour, for the legend. */
export function Swatch({ kind }: { kind: Kind }) {
  const s = kindStyle[kind];
  return <span aria-hidden style={{ display: 'inline-block', width: 14, height: 14, borderRadius: 3, background: s.background, border: `1px solid ${s.border}`, verticalAlign: -2 }} />;
}

/** Legend says what each colour means. */
export function Legend() {
  const { t } = useTranslation();
  return (
    <ul aria-label={t('calendar.legend')} data-testid="calendar-legend" style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', listStyle: 'none', margin: 0, padding: 0 }}>
      {kinds.map((k) => (
        <li key={k}><Swatch kind={k} /> {t(`calendar.kind.${k}`)}</li>
      ))}
    </ul>
  );
}

/**
 * YearGrid is the twelve months of a year as small Monday-first grids, every day coloured by
 * its kind, its name in its title: three months a row on an office screen (1366 wide), four on
 * a larger one (1920). The width decides, not antd's breakpoints (their observer, shared with
 * the queue's table, would cut the clerk's first chunks finer).
 */
export function YearGrid({ year, marked }: { year: number; marked: Map<string, Marked> }) {
  const { i18n } = useTranslation();
  const monthName = useMemo(() => new Intl.DateTimeFormat(i18n.language, { month: 'long', timeZone: 'UTC' }), [i18n.language]);
  return (
    <div data-testid="year-grid" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(222px, 1fr))', gap: 16, alignItems: 'start' }}>
      {Array.from({ length: 12 }, (_, i) => (
        <Month key={i} year={year} month={i + 1} name={monthName.format(new Date(Date.UTC(year, i, 1)))} marked={marked} />
      ))}
    </div>
  );
}

function Month({ year, month, name, marked }: { year: number; month: number; name: string; marked: Map<string, Marked> }) {
  const { t } = useTranslation();
  const weekdays = t('calendar.weekdays').split(',');
  const now = new Date();
  const today = iso(now.getFullYear(), now.getMonth() + 1, now.getDate());
  return (
    <table data-testid={`month-${month}`} style={{ borderCollapse: 'separate', borderSpacing: 2, width: '100%', tableLayout: 'fixed', fontSize: 13 }}>
      <caption style={{ textAlign: 'left', fontWeight: 600, padding: '0 2px 4px' }}>{name}</caption>
      <thead>
        <tr>
          {weekdays.map((w, i) => (
            <th key={w} scope="col" style={{ fontWeight: 400, color: i >= 5 ? '#595959' : 'rgba(0, 0, 0, 0.65)', padding: 2, textAlign: 'center' }}>{w}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {monthGrid(year, month).map((week, w) => (
          <tr key={w}>
            {week.map((date, d) => {
              if (!date) return <td key={d} style={{ height: 26 }} />;
              const kind = kindOf(date, marked);
              const s = kindStyle[kind];
              const named = marked.get(date);
              const title = `${date} ${named ? `${named.name}（${t(`calendar.kind.${kind}`)}）` : t(`calendar.kind.${kind}`)}`;
              return (
                <td
                  key={d} title={title} data-date={date} data-kind={kind}
                  style={{
                    textAlign: 'center', padding: 0, height: 26, lineHeight: '24px', boxSizing: 'border-box', borderRadius: 4, background: s.background, color: s.color,
                    border: `1px solid ${date === today ? '#0958d9' : kind === 'workday' ? 'transparent' : s.border}`,
                    fontWeight: named ? 600 : 400, outline: date === today ? '1px solid #0958d9' : undefined,
                  }}
                >
                  {Number(date.slice(8))}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
