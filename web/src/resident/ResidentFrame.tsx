import { Button, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n';
import './messages';

/**
 * ResidentFrame is the frame of the residents' pages, outside the signed-in shell: phone-sized
 * (a single column up to 480 px), the center's name and the language switch above the page.
 */
export function ResidentFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  return (
    <div style={{ minHeight: '100vh', background: token.colorBgLayout, fontFamily: token.fontFamily, fontSize: token.fontSize + 1 }}>
      <header style={{ background: token.colorPrimary, color: '#fff' }}>
        <div style={{ maxWidth: 480, margin: '0 auto', padding: '10px 16px', display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
          <span style={{ fontSize: 15 }}>{t('resident.center')}</span>
          <Button
            type="text"
            size="small"
            style={{ color: '#fff' }}
            lang={i18n.language.startsWith('zh') ? 'en' : 'zh-CN'}
            onClick={() => setLanguage(i18n.language.startsWith('zh') ? 'en' : 'zh-CN')}
          >
            {t('resident.language')}
          </Button>
        </div>
      </header>
      <main style={{ maxWidth: 480, margin: '0 auto', padding: 16 }}>
        <h1 style={{ fontSize: 20, fontWeight: 600, margin: '4px 0 12px', color: token.colorTextHeading }}>{title}</h1>
        {children}
      </main>
    </div>
  );
}

/** Facts is a list of labelled values, one under the other, as a phone shows them best. */
export function Facts({ items, testId }: { items: [string, ReactNode][]; testId?: string }) {
  const { token } = theme.useToken();
  return (
    <dl
      data-testid={testId}
      style={{ margin: 0, background: token.colorBgContainer, borderRadius: token.borderRadiusLG, border: `1px solid ${token.colorBorderSecondary}` }}
    >
      {items.map(([label, value], i) => (
        <div key={label} style={{ display: 'flex', gap: 12, padding: '10px 14px', borderTop: i ? `1px solid ${token.colorBorderSecondary}` : undefined }}>
          <dt style={{ flex: '0 0 7.5em', color: token.colorTextSecondary }}>{label}</dt>
          <dd style={{ margin: 0, flex: 1, color: token.colorText, wordBreak: 'break-all' }}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
