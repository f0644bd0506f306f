import { Button, Popover } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Explanation } from '../api/queries';

type Day = { date: string; kind: string; reason?: string };

function Days({ title, days }: { title: string; days?: Day[] | null }) {
  if (!days?.length) return null;
  return (
    <div style={{ marginTop: 8 }}>
      <strong>{title}</strong>
      <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
        {days.map((d) => (
          <li key={`${d.date}-${d.kind}`}>
            {d.date}
            {d.reason && d.reason !== d.kind ? `（${d.reason}）` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** DueExplanation is how a due date was counted, one click away: the summary and the days counted and skipped. */
export function DueExplanation({ explanation: e, basis }: { explanation: Explanation; basis?: string }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const content = (
    <div style={{ maxWidth: 420 }} data-testid="due-explanation">
      <p style={{ margin: 0 }}>{zh ? e.summary_zh : e.summary}</p>
      {basis && (
        <p style={{ margin: '8px 0 0' }}>
          {t('case.basis')}：{basis}
        </p>
      )}
      <Days title={t('case.counted')} days={e.counted} />
      <Days title={t('case.skipped')} days={e.skipped} />
      <Days title={t('case.moved')} days={e.moved} />
      {!!e.suspensions?.length && (
        <div style={{ marginTop: 8 }}>
          <strong>{t('case.suspensions')}</strong>
          <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
            {e.suspensions.map((s) => (
              <li key={s.from}>
                {s.from.slice(0, 10)} – {s.to.slice(0, 10)}：{s.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {!!e.notes?.length && (
        <div style={{ marginTop: 8 }}>
          <strong>{t('case.notes')}</strong>
          <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
            {e.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
  return (
    <Popover trigger="click" title={t('case.whyTitle')} content={content}>
      <Button size="small" type="link" style={{ padding: 0 }}>
        {t('case.why')}
      </Button>
    </Popover>
  );
}
