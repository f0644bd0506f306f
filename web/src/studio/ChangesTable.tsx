import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Change } from './queries';

const changeText = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** ChangesTable lists the differences between two definitions, as the server's diff gives them. */
export function ChangesTable({ changes, testId }: { changes: Change[]; testId?: string }) {
  const { t } = useTranslation();
  // A long list scrolls in a region the keyboard can reach too (WCAG 2.1.1).
  return (
    <div tabIndex={0} role="region" aria-label={t('studio.changes')} style={{ maxHeight: 360, overflowY: 'auto' }}>
    <Table<Change>
      size="small" pagination={false} rowKey={(c) => `${c.kind}:${c.path}`} dataSource={changes} data-testid={testId}
      locale={{ emptyText: t('studio.noChanges') }}
      columns={[
        { title: t('studio.path'), dataIndex: 'path', render: (p: string) => <code>{p}</code> },
        { title: t('studio.change'), dataIndex: 'kind', width: 72, render: (k: string) => t(`studio.kind.${k}`, { defaultValue: k }) },
        { title: t('studio.old'), dataIndex: 'old', render: changeText },
        { title: t('studio.new'), dataIndex: 'new', render: changeText },
      ]}
    />
    </div>
  );
}
