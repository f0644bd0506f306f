import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { prefetchFor } from './api/prefetch';
import { queryClient } from './api/queryClient';
import './i18n';

dayjs.locale('zh-cn');

// antd's defaults with more contrast (WCAG AA, 4.5:1): white on the primary blue, and grey text.
const workbenchTheme = {
  token: {
    colorPrimary: '#0958d9',
    colorInfo: '#0958d9',
    colorLink: '#0958d9',
    colorPrimaryHover: '#003eb3',
    colorPrimaryActive: '#002c8c',
    colorLinkHover: '#003eb3',
    colorLinkActive: '#002c8c',
    // antd's red (#ff4d4f) is 3.3:1 on white: form errors in it fail WCAG AA; this one is 5.9:1.
    colorError: '#cf1322',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif',
    // Whoever asks their system for less motion (WCAG 2.3.3) gets dialogs, menus and messages
    // without antd's animations.
    motion: !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches,
  },
};


function Root() {
  const { i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  dayjs.locale(zh ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={zh ? zhCN : enUS} theme={workbenchTheme} button={{ autoInsertSpace: false }}>
      
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </QueryClientProvider>
      
    </ConfigProvider>
  );
}

prefetchFor(window.location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
