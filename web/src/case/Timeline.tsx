import { Timeline as AntTimeline } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTimeline } from '../api/queries';
import { Danger, Muted } from '../components/text';
import { fmt } from './format';

/** Timeline is the case's audit log, oldest first: when, who, what, why. */
export function Timeline({ id }: { id: string }) {
  const { t } = useTranslation();
  const tl = useTimeline(id);
  if (tl.isLoading) return <Muted>…</Muted>;
  if (tl.error) return <Danger>{t('case.loadFailed', { reason: tl.error.message })}</Danger>;
  const entries = tl.data ?? [];
  if (!entries.length) return <Muted>{t('case.noTimeline')}</Muted>;
  return (
    <AntTimeline
      data-testid="timeline"
      items={entries.map((e) => ({
        key: e.seq,
        children: (
          <div data-testid="timeline-entry">
            <div>
              <strong>{t(`action.${e.action}`, { defaultValue: e.action })}</strong>
              <Muted style={{ marginLeft: 8 }}>{e.actor}</Muted>
            </div>
            <Muted>{fmt(e.at)}</Muted>
            {e.reason && <div style={{ whiteSpace: 'pre-wrap' }}>{e.reason}</div>}
          </div>
        ),
      }))}
    />
  );
}
