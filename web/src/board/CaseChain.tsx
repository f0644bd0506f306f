import { Skeleton, Steps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCase } from '../api/queries';
import { nameOf } from '../components/names';
import { Danger, Muted } from '../components/text';
import { fmt } from '../case/format';
import { chainOf, climbed } from './board';

/**
 * CaseChain is the way a case went along the five-link chain (village → town → banner, and back
 * down when handed down), one step per level and unit that held it, the current one last.
 */
export function CaseChain({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const c = useCase(caseId);
  if (c.isLoading) return <Skeleton active paragraph={{ rows: 1 }} />;
  if (c.error || !c.data) return <Danger>{t('board.loadFailed', { reason: c.error?.message })}</Danger>;
  const stops = chainOf(c.data.tasks);
  const closed = c.data.status !== 'open';
  return (
    <div data-testid="case-chain" aria-label={t('board.chainTitle')} role="group">
      <Muted>
        {t('board.chainTitle')}：{climbed(stops) ? t('board.escalations', { count: c.data.escalations }) : t('board.stayed')}
      </Muted>
      <Steps
        size="small"
        style={{ marginTop: 8, maxWidth: 240 * Math.max(stops.length, 2) }}
        current={closed ? stops.length : stops.length - 1}
        items={stops.map((s, i) => ({
          title: t(`level.${s.level}`, { defaultValue: s.level }),
          content: (
            <span data-testid="chain-stop">
              {nameOf(c.data.names, 'units', s.orgUnit, i18n.language)}
              <br />
              {t('board.arrived', { time: fmt(s.from) })}
              {s.to && (
                <>
                  <br />
                  {t('board.left2', { time: fmt(s.to) })}
                </>
              )}
              {!closed && i === stops.length - 1 && <> · {t('board.now')}</>}
            </span>
          ),
        }))}
      />
    </div>
  );
}
