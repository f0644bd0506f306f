import type { ReactNode } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { Facts, ResidentFrame } from './ResidentFrame';
import { HeldBack, useStatus, type ResidentStatus } from './queries';

type Query = { number: string; phone_last4: string };

/**
 * StatusPage is the resident's 办理进度查询, without an account: the case number (from the
 * receipt, or ?n= of the QR code on the acceptance notice) and the last four digits of the
 * phone registered show where the case stands, and nothing personal.
 */
export function StatusPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const status = useStatus();
  const ask = (q: Query) => status.mutate({ number: q.number.trim(), phone_last4: q.phone_last4 });
  return (
    <ResidentFrame title={t('resident.statusTitle')}>
      <p style={{ margin: '0 0 12px' }}>{t('resident.statusHint')}</p>
      <Form<Query> layout="vertical" requiredMark={false} onFinish={ask} initialValues={{ number: params.get('n') ?? '' }}>
        <Form.Item name="number" label={t('resident.number')} rules={[{ required: true, whitespace: true, message: t('resident.needNumber') }]}>
          <Input size="large" autoComplete="off" autoCapitalize="characters" spellCheck={false} placeholder={t('resident.numberPlaceholder')} maxLength={40} />
        </Form.Item>
        <Form.Item name="phone_last4" label={t('resident.phone')} rules={[{ required: true, pattern: /^[0-9]{4}$/, message: t('resident.needPhone') }]}>
          <Input size="large" inputMode="numeric" autoComplete="off" maxLength={4} placeholder={t('resident.phonePlaceholder')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={status.isPending}>
          {t('resident.query')}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }} aria-live="polite">
        {status.error && <Refusal error={status.error} />}
        {status.data && !status.isPending && <StatusFacts s={status.data} />}
      </div>
    </ResidentFrame>
  );
}

function Refusal({ error }: { error: Error }) {
  const { t } = useTranslation();
  let text = t('resident.failed');
  if (error instanceof HeldBack) text = t('resident.tooMany', { minutes: Math.max(1, Math.ceil(error.retryAfter / 60)) });
  else if (error instanceof ApiError && error.status === 404) text = t('resident.notFound');
  return <Alert type="error" showIcon title={text} data-testid="status-refused" />;
}

function StatusFacts({ s }: { s: ResidentStatus }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const day = (v?: string) => (v ? dayjs(v).format(en ? 'D MMM YYYY' : 'YYYY年M月D日') : t('resident.noDue'));
  const closed = s.status === 'closed';
  const items: [string, ReactNode][] = [
    [t('resident.number'), s.number],
    [t('resident.matter'), (en && s.matter_name_en) || s.matter_name],
    [t('resident.status'), <strong key="s">{closed ? t('resident.closed') : t('resident.open')}</strong>],
  ];
  if (closed) {
    if (s.outcome_kind) items.push([t('resident.result'), t(`kindOf.${s.outcome_kind}`, { defaultValue: s.outcome_kind })]);
    if (s.closed_at) items.push([t('resident.closedAt'), day(s.closed_at)]);
    items.push([t('resident.unit'), (en && s.unit_en) || s.unit]);
  } else {
    items.push([t('resident.stage'), (en && s.stage_en) || s.stage || '—']);
    items.push([t('resident.unit'), (en && s.unit_en) || s.unit]);
    items.push([t('resident.due'), day(s.due_at)]);
  }
  items.push([t('resident.receivedAt'), day(s.received_at)]);
  return (
    <>
      <Facts items={items} testId="status-facts" />
      <p style={{ fontSize: 13, margin: '12px 0 0', color: 'rgba(0, 0, 0, 0.65)' }}>{t('resident.privacy')}</p>
    </>
  );
}
