import { Flex, theme } from 'antd';
import type { ReactNode } from 'react';
import { Muted } from '../components/text';
import { fmt } from './format';

export type Column<T> = { title: string; key: string; render: (row: T) => ReactNode };

/** whenBy is the column of when a row was recorded, and by whom under it (orders, findings). */
export function whenBy<T extends { at: string; by: string }>(title: string): Column<T> {
  return {
    title,
    key: 'at',
    render: (x) => (
      <Flex vertical gap={2}>
        <span style={{ whiteSpace: 'nowrap' }}>{fmt(x.at)}</span>
        <Muted>{x.by}</Muted>
      </Flex>
    ),
  };
}

/**
 * SmallTable is a plain table for the few rows of a case (its open tasks, its periods): antd's
 * Table, with sorting, paging and virtual scrolling, would double the page's first load.
 */
export function SmallTable<T>({ rows, columns, rowKey, empty, testId }: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty: string;
  testId?: string;
}) {
  const { token } = theme.useToken();
  const cell = { padding: '8px', borderBottom: `1px solid ${token.colorBorderSecondary}`, textAlign: 'left' as const, verticalAlign: 'top' as const };
  return (
    <table data-testid={testId} style={{ width: '100%', borderCollapse: 'collapse', fontSize: token.fontSize }}>
      <thead>
        <tr style={{ background: token.colorFillAlter }}>
          {columns.map((c) => (
            <th key={c.key} scope="col" style={{ ...cell, fontWeight: 600, color: token.colorTextHeading }}>
              {c.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length} style={{ ...cell, color: token.colorTextSecondary, textAlign: 'center' }}>
              {empty}
            </td>
          </tr>
        ) : (
          rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) => (
                <td key={c.key} style={cell}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
