import './attachmentMessages';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Flex, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { downloadAttachment, useAttachments, useUpload, type Attachment } from '../api/attachments';
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
 * who may act on the case. A post that may not see papers (a grid worker's) is told so.
 */
export function AttachmentsSection({ caseId, canUpload }: { caseId: string; canUpload: boolean }) {
  const { t } = useTranslation();
  const list = useAttachments(caseId);
  const upload = useUpload(caseId);
  const forbidden = list.error instanceof ApiError && list.error.status === 403;

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
            <Button
              type="link"
              size="small"
              icon={<PaperClipOutlined />}
              style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
              aria-label={t('attachments.download', { name: a.name })}
              onClick={() =>
                void downloadAttachment(caseId, a).catch((e) => notify('error', t('attachments.downloadFailed', { reason: reason(e) })))
              }
            >
              {a.name}
            </Button>
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
      ]}
    />
  );

  const max = list.data ? size(list.data.max_bytes) : '20 MB';
  return (
    <Section title={t('attachments.title')} testId="attachments-section">
      <Flex vertical gap={8}>
        {body}
        {canUpload && !forbidden && (
          <Flex align="center" gap={8} wrap>
            <Upload
              showUploadList={false}
              multiple
              customRequest={({ file, onSuccess, onError }) => {
                const f = file as File;
                upload.mutate(f, {
                  onSuccess: (a) => {
                    onSuccess?.(a);
                    void notify('success', t('attachments.uploaded_ok', { name: a.name }));
                  },
                  onError: (e) => {
                    onError?.(e as Error);
                    void notify('error', t('attachments.failed', { reason: reason(e) }));
                  },
                });
              }}
            >
              <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="attachment-upload">
                {upload.isPending ? t('attachments.uploading') : t('attachments.upload')}
              </Button>
            </Upload>
            <Muted>{t('attachments.hint', { types: t('attachments.types'), max })}</Muted>
          </Flex>
        )}
      </Flex>
    </Section>
  );
}
