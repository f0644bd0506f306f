import { InfoCircleFilled } from '@ant-design/icons';
import { theme } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * UnderConstruction stands in for a page of the workbench not built yet. It is drawn without
 * antd's Result, whose three illustrations would otherwise ride in every first page.
 */
export function UnderConstruction() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <div style={{ textAlign: 'center', padding: '48px 32px' }}>
      <InfoCircleFilled style={{ fontSize: 72, color: token.colorInfo }} aria-hidden />
      <h2 style={{ fontSize: 24, fontWeight: 400, margin: '24px 0 8px', color: token.colorTextHeading }}>{t('soon.title')}</h2>
      <p style={{ color: token.colorTextSecondary, margin: 0 }}>{t('soon.subTitle')}</p>
    </div>
  );
}
