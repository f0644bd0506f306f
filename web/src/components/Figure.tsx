import type { ReactNode } from 'react';
import { Muted } from './text';

/** Figure is one headline figure of a figures page: its label over its value (and, smaller, its rate), with a hint (title) when given. */
export function Figure({ label, value, testId, hint, rate }: { label: string; value: ReactNode; testId: string; hint?: string; rate?: string }) {
  return (
    <div style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: '8px 16px', minWidth: 120 }} data-testid={testId} title={hint}>
      <Muted style={{ fontSize: 13 }}>{label}</Muted>
      <div style={{ fontSize: 22, fontWeight: 600, whiteSpace: 'nowrap' }}>
        {value}
        {rate && <span style={{ fontSize: 14, fontWeight: 400, marginInlineStart: 6 }}>{rate}</span>}
      </div>
    </div>
  );
}

/** figureGrid lays figures out sharing a row's width evenly, the row filled: nine fit on one row from a 1366-pixel screen. */
export const figureGrid = { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(112px, 1fr))', gap: 12 } as const;
