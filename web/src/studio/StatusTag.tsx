import './messages';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const statusColor = { draft: 'processing', published: '#237804', retired: 'default' } as const;

/** StatusTag is a version's status (draft, published, retired), of a procedure or of a county's override. */
export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={statusColor[status as keyof typeof statusColor]}>{t(`studio.statusName.${status}`)}</Tag>;
}
