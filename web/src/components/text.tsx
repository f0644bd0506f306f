import { theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';

// Headings and muted text without antd's Typography, which brings the editable-text input
// (and with it Input) into every page's bundle.

export function Heading({ level, children, style }: { level: 1 | 2; children: ReactNode; style?: CSSProperties }) {
  const { token } = theme.useToken();
  const H = level === 1 ? 'h1' : 'h2';
  return (
    <H style={{ margin: 0, fontSize: level === 1 ? 18 : 20, fontWeight: 600, color: token.colorTextHeading, lineHeight: 1.4, ...style }}>
      {children}
    </H>
  );
}

export function Muted({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  const { token } = theme.useToken();
  return <span style={{ color: token.colorTextSecondary, ...style }}>{children}</span>;
}

export function Danger({ children }: { children: ReactNode }) {
  const { token } = theme.useToken();
  return <span role="alert" style={{ color: token.colorErrorText }}>{children}</span>;
}

/** Section is a titled, bordered block of a page (antd's Card would bring Tabs into the page's bundle). */
export function Section({ title, children, testId }: { title: ReactNode; children: ReactNode; testId?: string }) {
  const { token } = theme.useToken();
  return (
    <section
      data-testid={testId}
      style={{ border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadiusLG, background: token.colorBgContainer }}
    >
      <h2 style={{ fontSize: 16, fontWeight: 600, margin: 0, padding: '10px 16px', borderBottom: `1px solid ${token.colorBorderSecondary}`, color: token.colorTextHeading }}>
        {title}
      </h2>
      <div style={{ padding: 12 }}>{children}</div>
    </section>
  );
}
