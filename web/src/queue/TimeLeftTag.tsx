import { Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { timeLeft, type Calendar, type Dueable } from './timeLeft';

// Dark shades of antd's red, orange and green, so white text on them is readable (4.5:1).
const colours = { overdue: '#cf1322', soon: '#ad4e00', ok: '#237804', none: 'default' } as const;

/** TimeLeftTag shows a task's time left in working days, red when overdue, orange when due soon. */
export function TimeLeftTag({ task, now, calendar }: { task: Dueable; now: Dayjs; calendar: Calendar | undefined }) {
  const { t } = useTranslation();
  const left = timeLeft(task, now, calendar);
  if (left.key === 'none') return <span>{t('queue.noDue')}</span>;
  return (
    <Tag color={colours[left.urgency]} data-urgency={left.urgency}>
      {t(`left.${left.key}`, { count: left.count })}
    </Tag>
  );
}
