import './attachmentMessages';
import { DeleteOutlined, PaperClipOutlined, SwapOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Modal, Space, Switch, Tag, Upload, type UploadProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { downloadAttachment, useAttachments, useDeleteAttachment, useUpload, type Attachment } from '../api/attachments';
import { Danger, Muted, Section } from '../components/text';
import { notify } from '../components/notify';
import { fmt } from './format';
import { SmallTable } from './SmallTable';

/** size is a byte count as a person reads it. */
export function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** reason is what a refusal says: its first located detail, else its title. */
function reason(e: unknown): string {
  if (e instanceof ApiError) return e.problem?.errors?.[0]?.message || e.message;
  return (e as Error).message;
}

/**
 * AttachmentsSection is the case's 附件: its papers, each a download, and an upload for users
 * who may act on the case, who may also replace or delete a paper (it stays for the record:
 * shown with the deleted ones). A post that may not see papers (a grid worker's, but for the
 * cases received at their own grid) is told so; a grid worker adds photos only, and neither
 * replaces nor deletes a paper.
 */
export function AttachmentsSection({ caseId, canUpload }: { caseId: string; canUpload: boolean }) {
  const { t } = useTranslation();
  const [withDeleted, setWithDeleted] = useState(false);
  const list = useAttachments(caseId, withDeleted);
  const upload = useUpload(caseId);
  const remove = useDeleteAttachment(caseId);
  const [deleting, setDeleting] = useState<Attachment>();
  const [why, setWhy] = useState('');
  const forbidden = list.error instanceof ApiError && list.error.status === 403;
  const photosOnly = useSession()?.user.role === 'grid';

  // send uploads a file, in place of the paper replaces when given, and says how it went.
  const send = (replaces?: string): UploadProps['customRequest'] => ({ file, onSuccess, onError }) => {
    upload.mutate(
      { file: file as File, replaces },
      {
        onSuccess: (a) => {
          onSuccess?.(a);
          void notify('success', t(replaces ? 'attachments.replaced_ok' : 'attachments.uploaded_ok', { name: a.name }));
        },
        onError: (e) => {
          onError?.(e as Error);
          void notify('error', t('attachments.failed', { reason: reason(e) }));
        },
      },
    );
  };
  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate(
      { attachment: deleting.id, reason: why.trim() },
      {
        onSuccess: () => {
          void notify('success', t('attachments.deleted_ok', { name: deleting.name }));
          setDeleting(undefined);
          setWhy('');
        },
        onError: (e) => void notify('error', t('attachments.deleteFailed', { reason: reason(e) })),
      },
    );
  };

  const body = forbidden ? (
    <Muted>{t('attachments.forbidden')}</Muted>
  ) : list.error ? (
    <Danger>{t('case.loadFailed', { reason: list.error.message })}</Danger>
  ) : (
    <SmallTable<Attachment>
      rowKey={(a) => a.id}
      rows={list.data?.items ?? []}
      empty={list.isLoading ? '…' : t('attachments.empty')}
      testId="attachments"
      columns={[
        {
          title: t('attachments.name'),
          key: 'name',
          render: (a) => (
            <Flex vertical gap={2} align="flex-start">
              <Button
                type="link"
                size="small"
                icon={<PaperClipOutlined />}
                style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left', textDecoration: a.deleted_at ? 'line-through' : undefined }}
                aria-label={t('attachments.download', { name: a.name })}
                onClick={() =>
                  void downloadAttachment(caseId, a).catch((e) => notify('error', t('attachments.downloadFailed', { reason: reason(e) })))
                }
              >
                {a.name}
              </Button>
              {a.deleted_at && (
                <span data-testid="attachment-gone">
                  <Tag>{t(a.replaced_by ? 'attachments.replacedTag' : 'attachments.deletedTag')}</Tag>
                  <Muted>{a.deleted_by} · {fmt(a.deleted_at)}</Muted>
                </span>
              )}
            </Flex>
          ),
        },
        { title: t('attachments.size'), key: 'size', render: (a) => <span style={{ whiteSpace: 'nowrap' }}>{size(a.size)}</span> },
        {
          title: t('attachments.uploaded'),
          key: 'at',
          render: (a) => (
            <Flex vertical gap={2}>
              <span style={{ whiteSpace: 'nowrap' }}>{fmt(a.uploaded_at)}</span>
              <Muted>{a.uploaded_by}</Muted>
            </Flex>
          ),
        },
        {
          title: t('attachments.checksum'),
          key: 'sha',
          render: (a) => (
            <code title={a.sha256} style={{ fontSize: 12 }}>
              {a.sha256.slice(0, 12)}…
            </code>
          ),
        },
        ...(canUpload && !photosOnly
          ? [
              {
                title: t('attachments.actions'),
                key: 'actions',
                render: (a: Attachment) =>
                  !a.deleted_at && (
                    <Space size={0} wrap>
                      <Upload showUploadList={false} customRequest={send(a.id)}>
                        <Button type="link" size="small" icon={<SwapOutlined />} aria-label={t('attachments.replaceOf', { name: a.name })} data-testid="attachment-replace">
                          {t('attachments.replace')}
                        </Button>
                      </Upload>
                      <Button
                        type="link"
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('attachments.deleteOf', { name: a.name })}
                        onClick={() => setDeleting(a)}
                        data-testid="attachment-delete"
                      >
                        {t('attachments.delete')}
                      </Button>
                    </Space>
                  ),
              },
            ]
          : []),
      ]}
    />
  );

  const max = list.data ? size(list.data.max_bytes) : '20 MB';
  return (
    <Section title={t('attachments.title')} testId="attachments-section">
      <Flex vertical gap={8}>
        {!forbidden && (
          <Space>
            <Switch size="small" checked={withDeleted} onChange={setWithDeleted} id="attachments-deleted" />
            <label htmlFor="attachments-deleted">{t('attachments.showDeleted')}</label>
          </Space>
        )}
        {/* On a phone (a grid worker's) the table scrolls inside its section, the page does not widen. */}
        <div style={{ overflowX: 'auto' }}>{body}</div>
        {canUpload && !forbidden && (
          <Flex align="center" gap={8} wrap>
            <Upload showUploadList={false} multiple customRequest={send()} accept={photosOnly ? 'image/*' : undefined}>
              <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="attachment-upload">
                {upload.isPending ? t('attachments.uploading') : t('attachments.upload')}
              </Button>
            </Upload>
            <Muted>{t('attachments.hint', { types: t(photosOnly ? 'attachments.photoTypes' : 'attachments.types'), max })}</Muted>
          </Flex>
        )}
      </Flex>
      <Modal
        open={!!deleting}
        title={t('attachments.deleteTitle', { name: deleting?.name ?? '' })}
        okText={t('attachments.delete')}
        okButtonProps={{ danger: true, loading: remove.isPending }}
        onOk={confirmDelete}
        onCancel={() => setDeleting(undefined)}
        destroyOnHidden
      >
        <Flex vertical gap={8}>
          <Muted>{t('attachments.deleteNote')}</Muted>
          <label htmlFor="attachment-delete-reason">{t('attachments.deleteReason')}</label>
          {/* Room under the text for its character count, clear of the dialog's buttons. */}
          <Input.TextArea
            id="attachment-delete-reason" rows={3} maxLength={500} showCount value={why} onChange={(e) => setWhy(e.target.value)}
            style={{ marginBottom: 16 }}
          />
        </Flex>
      </Modal>
    </Section>
  );
}
