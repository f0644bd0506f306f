import type { ReactNode } from 'react';
import { Alert, Button, Form, Input, Radio, Spin } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../api/client';
import { Facts, ResidentFrame } from './ResidentFrame';
import { HeldBack, useRate, useRatingLink } from './queries';

type Rating = { rating: number; comment?: string };

/**
 * RatePage is the resident's 满意度评价 through the one-time link of a closed case (in the result
 * notice): 1 to 5 and a comment, once, within the 30 days after closing.
 */
export function RatePage() {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const { token = '' } = useParams();
  const link = useRatingLink(token);
  const rate = useRate(token);
  const ratings = t('resident.ratings', { returnObjects: true }) as string[];

  let body: ReactNode;
  if (link.isPending) body = <Spin />;
  else if (link.error) {
    const gone = link.error instanceof ApiError && link.error.status < 500;
    body = <Alert type={gone ? 'warning' : 'error'} showIcon title={gone ? t('resident.unknown') : t('resident.failed')} />;
  } else {
    const v = link.data;
    const facts: [string, ReactNode][] = [
      [t('resident.number'), v.number],
      [t('resident.matter'), (en && v.matter_name_en) || v.matter_name],
      [t('resident.unit'), (en && v.unit_en) || v.unit],
    ];
    if (v.outcome_kind) facts.push([t('resident.result'), t(`kindOf.${v.outcome_kind}`, { defaultValue: v.outcome_kind })]);
    let form: ReactNode;
    if (rate.isSuccess) {
      form = <Alert type="success" showIcon title={t('resident.thanks')} description={t('resident.thanksBody')} data-testid="rated" />;
    } else if (v.state === 'rated') {
      form = <Alert type="info" showIcon title={t('resident.rated')} />;
    } else if (v.state === 'expired') {
      form = <Alert type="warning" showIcon title={t('resident.expired')} />;
    } else {
      form = (
        <>
          <p style={{ margin: '16px 0 8px' }}>{t('resident.rateHint')}</p>
          <Form<Rating> layout="vertical" requiredMark={false} onFinish={(r) => rate.mutate({ rating: r.rating, comment: r.comment?.trim() || undefined })}>
            <Form.Item name="rating" label={t('resident.rating')} rules={[{ required: true, message: t('resident.needRating') }]}>
              {/* Five labelled choices, not bare stars: each says what it means, to a screen reader too. */}
              <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
                {[5, 4, 3, 2, 1].map((n) => (
                  <Radio key={n} value={n} style={{ fontSize: 16 }}>
                    <span aria-hidden style={{ color: '#d46b08', letterSpacing: 2 }}>{'★'.repeat(n) + '☆'.repeat(5 - n)}</span>{' '}
                    {ratings[n - 1]}
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item name="comment" label={t('resident.comment')}>
              <Input.TextArea rows={4} maxLength={500} showCount />
            </Form.Item>
            <Button type="primary" htmlType="submit" size="large" block loading={rate.isPending}>
              {t('resident.submit')}
            </Button>
          </Form>
          <p style={{ fontSize: 13, margin: '12px 0 0', color: 'rgba(0, 0, 0, 0.65)' }}>
            {t('resident.until', { date: dayjs(v.expires_at).format(en ? 'D MMM YYYY' : 'YYYY年M月D日') })}
          </p>
          {rate.error && (
            <Alert
              style={{ marginTop: 12 }}
              type="error"
              showIcon
              title={
                rate.error instanceof HeldBack
                  ? t('resident.tooMany', { minutes: Math.max(1, Math.ceil(rate.error.retryAfter / 60)) })
                  : rate.error instanceof ApiError && rate.error.status === 409
                    ? t('resident.rated')
                    : rate.error instanceof ApiError && rate.error.status === 410
                      ? t('resident.expired')
                      : t('resident.failed')
              }
            />
          )}
        </>
      );
    }
    body = (
      <>
        <Facts items={facts} />
        <div style={{ marginTop: 16 }} aria-live="polite">{form}</div>
      </>
    );
  }
  return <ResidentFrame title={t('resident.rateTitle')}>{body}</ResidentFrame>;
}
