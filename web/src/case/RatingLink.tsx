import { LinkOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Button, Flex, Modal, QRCode, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, data } from '../api/client';
import { notify } from '../components/notify';
import { Muted } from '../components/text';
import { fmt } from './format';

/**
 * RatingLink is the 评价链接 button of a closed case the resident has not rated yet: the clerk
 * issues a one-time link (POST /v1/cases/{id}/rating-link) and hands it to the resident as a QR
 * code to scan at the window, or as an address to send. Issuing again replaces the link.
 */
export function RatingLink({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const issue = useMutation({
    mutationFn: async () => data(await api.POST('/v1/cases/{id}/rating-link', { params: { path: { id: caseId } } })),
    onError: (e) => void notify('error', t('error.generic', { reason: e.message })),
  });
  const url = issue.data ? new URL(issue.data.path, window.location.origin).toString() : '';
  return (
    <>
      <Button icon={<LinkOutlined />} loading={issue.isPending} onClick={() => issue.mutate()} data-testid="rating-link">
        {t('case.ratingLink')}
      </Button>
      <Modal open={!!issue.data} title={t('case.ratingLinkTitle')} footer={null} onCancel={() => issue.reset()} destroyOnHidden>
        {issue.data && (
          <Flex vertical align="center" gap={12} data-testid="rating-link-dialog">
            {/* The code is drawn on a canvas: named as a whole, its drawing hidden from screen readers. */}
            <div role="img" aria-label={t('case.ratingLinkQR')}>
              <div aria-hidden>
                <QRCode value={url} size={200} bordered={false} />
              </div>
            </div>
            <Typography.Paragraph copyable={{ text: url }} style={{ marginBottom: 0, wordBreak: 'break-all' }} data-testid="rating-link-url">
              {url}
            </Typography.Paragraph>
            <Muted>{t('case.ratingLinkNote', { until: fmt(issue.data.expires_at) })}</Muted>
          </Flex>
        )}
      </Modal>
    </>
  );
}
