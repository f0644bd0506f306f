import { Timeline as AntTimeline } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTimeline, type CaseDetail } from '../api/queries';
import { useCaseProcedure } from '../api/procedures';
import { personName } from '../components/names';
import { Danger, Muted } from '../components/text';
import { fmt } from './format';
import { outcomeName } from './names';
import { parsePaper } from './paper';

/** Timeline is the case's audit log, oldest first: when, who, what, why. */
export function Timeline({ kase }: { kase: CaseDetail }) {
  const { t, i18n } = useTranslation();
  const tl = useTimeline(kase.id);
  const procedure = useCaseProcedure(kase).data;
  const en = !i18n.language.startsWith('zh');
  // A completion's reason is the outcome chosen: shown by its name.
  const why = (action: string, reason: string) => {
    if (action === 'complete') return outcomeName(procedure, reason, undefined, en);
    const p = parsePaper(action, reason);
    if (!p) return reason;
    // A paper by its name, type, size and checksum (the full one on hover).
    const line = (x: typeof p.paper) => t('case.paper', { name: x.name, type: x.type, size: x.size, sha: x.sha256.slice(0, 12) });
    return [line(p.paper), p.replaces && t('case.paperReplaces', { paper: line(p.replaces) }), p.why]
      .filter(Boolean)
      .join('\n');
  };
  if (tl.isLoading) return <Muted>…</Muted>;
  if (tl.error) return <Danger>{t('case.loadFailed', { reason: tl.error.message })}</Danger>;
  const entries = tl.data?.entries ?? [];
  const actors = tl.data?.actors ?? {};
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
              <Muted style={{ marginLeft: 8 }}>
                {actors[e.actor] ? `${personName(actors[e.actor]!, i18n.language)} · ${e.actor}` : e.actor}
              </Muted>
            </div>
            <Muted>{fmt(e.at)}</Muted>
            {e.reason && <div style={{ whiteSpace: 'pre-wrap' }}>{why(e.action, e.reason)}</div>}
          </div>
        ),
      }))}
    />
  );
}
