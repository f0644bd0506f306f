import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** UnderConstruction stands in for a page of the workbench not built yet. */
export function UnderConstruction() {
  const { t } = useTranslation();
  return <Result status="info" title={t('soon.title')} subTitle={t('soon.subTitle')} />;
}
