import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Descriptions, Flex, Result, Skeleton, Tag } from 'antd';
import { Heading } from '../components/text';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { useCase } from '../api/queries';

/** CasePage shows a case's summary; the full case page (issue 10) grows from here. */
export function CasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const c = useCase(id);

  if (c.isLoading) return <Skeleton active />;
  if (c.error || !c.data) {
    const missing = c.error instanceof ApiError && c.error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('case.notFound') : t('error.generic', { reason: c.error?.message })}
        extra={<Link to="/queue">{t('case.back')}</Link>}
      />
    );
  }
  const k = c.data;
  const step = k.tasks?.find((x) => x.step === k.step && x.status === 'open')?.name ?? k.step;
  const fmt = (s?: string) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');

  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={12}>
        <Link to="/queue">
          <Button icon={<ArrowLeftOutlined />} aria-label={t('case.back')} />
        </Link>
        <Heading level={2}>
          {t('case.title', { number: k.number })}
        </Heading>
        {k.overdue && <Tag color="red">{t('case.overdue')}</Tag>}
      </Flex>
      <Descriptions bordered column={{ xs: 1, md: 2 }} size="middle">
        <Descriptions.Item label={t('case.number')}>{k.number}</Descriptions.Item>
        <Descriptions.Item label={t('case.matter')}>{t(`matter.${k.matter}`, { defaultValue: k.matter })}</Descriptions.Item>
        <Descriptions.Item label={t('case.status')}>
          <Tag color={k.status === 'open' ? 'processing' : 'default'}>{t(`status.${k.status}`, { defaultValue: k.status })}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('case.step')}>{step || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('case.orgUnit')}>{k.org_unit}</Descriptions.Item>
        <Descriptions.Item label={t('case.level')}>{t(`level.${k.level}`, { defaultValue: k.level })}</Descriptions.Item>
        <Descriptions.Item label={t('case.due')}>{fmt(k.due_at)}</Descriptions.Item>
        <Descriptions.Item label={t('case.receivedAt')}>{fmt(k.received_at)}</Descriptions.Item>
        <Descriptions.Item label={t('case.subject')} span={2}>{k.subject}</Descriptions.Item>
        <Descriptions.Item label={t('case.resident')}>{k.resident_name}</Descriptions.Item>
      </Descriptions>
    </Flex>
  );
}
