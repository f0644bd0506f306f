import { PaperClipOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, Result, Select, Skeleton, Upload, type UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { uploadAttachment } from '../api/attachments';
import { ApiError } from '../api/client';
import { useEffectiveProcedure, useProcedures } from '../api/procedures';
import { useRegister, type CaseDetail } from '../api/queries';
import { Heading, Muted, Section } from '../components/text';
import { FormFields } from './FormFields';
import { newKey } from './ids';
import { Receipt } from './Receipt';
import { ResidentCases, type ResidentCase } from './ResidentCases';
import './messages';

type Values = { procedure?: string; channel: string; subject: string; resident_name: string; data?: Record<string, unknown> };

const channels = ['visit', 'letter', 'phone', 'online', 'grid'] as const;

/** The path of a 422 problem's location in the form: body.data.phone is ['data', 'phone']. */
function formPath(location?: string): (string | number)[] | undefined {
  const m = /^body\.(.+)$/.exec(location ?? '');
  return m ? m[1]!.split('.') : undefined;
}

/** RegisterPage registers a matter at the window with the form of its procedure. */
export function RegisterPage() {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const procedures = useProcedures();
  const [form] = Form.useForm<Values>();
  const chosen = Form.useWatch('procedure', form);
  const item = procedures.data?.find((p) => p.key === chosen);
  const procedure = useEffectiveProcedure(item?.key);
  const register = useRegister();
  const [key, setKey] = useState(newKey); // one per form: a double click or a retry makes one case
  const [problem, setProblem] = useState<string>();
  const [created, setCreated] = useState<CaseDetail>();
  const [receipt, setReceipt] = useState(false);
  // Papers brought to the window, uploaded to the case once it is registered.
  const [papers, setPapers] = useState<UploadFile[]>([]);
  const [sent, setSent] = useState<{ name: string; error?: string }[]>([]);
  // The resident's numbers as typed, for the lookup of their other matters (一人多事).
  const fields = procedure.data?.form ?? [];
  const idField = fields.find((f) => f.type === 'resident_id')?.name;
  const phoneField = fields.find((f) => f.type === 'phone')?.name;
  const idNumber = Form.useWatch(['data', idField ?? ''], form) as string | undefined;
  const phone = Form.useWatch(['data', phoneField ?? ''], form) as string | undefined;
  const [repeatOf, setRepeatOf] = useState<ResidentCase>();

  async function submit(v: Values) {
    setProblem(undefined);
    const data: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(v.data ?? {})) {
      if (value === undefined || value === null || value === '') continue;
      data[name] = typeof value === 'object' && 'format' in (value as object) ? (value as Dayjs).format('YYYY-MM-DD') : value;
    }
    try {
      const k = await register.mutateAsync({
        key,
        body: {
          matter: item?.matter ?? item?.key ?? '',
          procedure: item?.key,
          channel: v.channel as 'visit',
          subject: v.subject,
          resident_name: v.resident_name,
          data,
          repeat_of: repeatOf?.id,
        },
      });
      setCreated(k);
      setSent(await sendPapers(k.id));
    } catch (err) {
      if (!(err instanceof ApiError)) return setProblem(t('error.network'));
      const errs = err.problem?.errors ?? [];
      const placed = errs.filter((e) => formPath(e.location));
      form.setFields(placed.map((e) => ({ name: formPath(e.location)!, errors: [e.message ?? ''] })));
      const rest = errs.filter((e) => !formPath(e.location)).map((e) => e.message);
      if (!placed.length || rest.length) setProblem(rest.length ? rest.join('；') : err.problem?.detail || err.message);
    }
  }

  // sendPapers uploads the chosen papers to the new case one after the other and says how each went:
  // a paper refused (its type, its size) leaves the case registered, to be added on its page. Each
  // has a key of the form's, so that a double click that registers one case adds each paper once.
  async function sendPapers(caseId: string) {
    const results: { name: string; error?: string }[] = [];
    for (const p of papers) {
      try {
        await uploadAttachment(caseId, p.originFileObj as File, undefined, `${key}/${p.uid}`);
        results.push({ name: p.name });
      } catch (e) {
        results.push({ name: p.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return results;
  }

  if (created) {
    const failed = sent.filter((p) => p.error);
    return (
      <div>
      <Result
        status="success"
        title={t('register.done')}
        subTitle={
          <span data-testid="new-number" style={{ fontSize: 32, fontWeight: 700, color: 'rgba(0,0,0,0.88)', letterSpacing: 1 }}>
            {created.number}
          </span>
        }
        extra={[
          <Link key="open" to={`/cases/${created.id}`}>
            <Button type="primary">{t('register.open')}</Button>
          </Link>,
          <Button
            key="print"
            icon={<PrinterOutlined />}
            onClick={() => {
              setReceipt(true);
              // Print once the receipt is drawn: the next frame.
              requestAnimationFrame(() => window.print());
            }}
            data-testid="print-receipt"
          >
            {t('register.print')}
          </Button>,
          <Button
            key="again"
            onClick={() => {
              setCreated(undefined);
              setReceipt(false);
              setKey(newKey());
              setPapers([]);
              setSent([]);
              setRepeatOf(undefined);
              form.resetFields();
            }}
          >
            {t('register.again')}
          </Button>,
        ]}
      />
      {sent.length > 0 && (
        <Flex vertical gap={8} style={{ maxWidth: 640, margin: '0 auto' }} data-testid="register-papers">
          <Alert type={failed.length ? 'warning' : 'success'} showIcon
            title={t('register.papersSent', { count: sent.length - failed.length })}
            description={failed.length > 0 && (
              <ul style={{ margin: 0 }}>{failed.map((p) => <li key={p.name}>{t('register.paperFailed', { name: p.name, reason: p.error })}</li>)}</ul>
            )} />
        </Flex>
      )}
      {receipt && <Receipt kase={created} procedureName={item && ((en && item.name_en) || item.name)} />}
      </div>
    );
  }

  return (
    <Flex vertical gap={16} style={{ maxWidth: 880 }}>
      <Heading level={2}>{t('register.title')}</Heading>
      {procedures.isLoading ? (
        <Skeleton active />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          name="register"
          initialValues={{ channel: 'visit' }}
          onFinish={(v) => void submit(v)}
          scrollToFirstError
        >
          <Section title={t('register.matter')}>
            <Flex gap={16} wrap>
              <Form.Item name="procedure" label={t('register.procedure')} rules={[{ required: true, message: t('register.pickProcedure') }]} style={{ minWidth: 280, marginBottom: 8 }}>
                <Select
                  data-testid="procedure"
                  options={(procedures.data ?? [])
                    .filter((p) => p.in_force)
                    .map((p) => ({ value: p.key, label: (en && p.name_en) || p.name }))}
                />
              </Form.Item>
              <Form.Item name="channel" label={t('register.channel')} style={{ minWidth: 160, marginBottom: 8 }}>
                <Select options={channels.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
              </Form.Item>
            </Flex>
          </Section>
          {item && (
            <div style={{ marginTop: 16 }}>
              <Section title={t('register.details')}>
                <Form.Item name="resident_name" label={t('register.resident')} rules={[{ required: true, message: t('register.required', { field: t('register.resident') }) }]}>
                  <Input maxLength={50} style={{ maxWidth: 280 }} />
                </Form.Item>
                <Form.Item name="subject" label={t('register.subject')} rules={[{ required: true, message: t('register.required', { field: t('register.subject') }) }]}>
                  <Input maxLength={200} />
                </Form.Item>
                {procedure.isLoading && <Skeleton active />}
                <FormFields fields={procedure.data?.form ?? []} />
                <ResidentCases
                  ids={{ id_number: idField && idNumber, phone: phoneField && phone }}
                  repeatOf={repeatOf}
                  onRepeat={setRepeatOf}
                />
              </Section>
            </div>
          )}
          {item && (
            <div style={{ marginTop: 16 }}>
              <Section title={t('register.papers')}>
                <Flex vertical gap={8}>
                  <div data-testid="register-upload">
                    <Upload multiple fileList={papers} beforeUpload={() => false} onChange={({ fileList }) => setPapers(fileList)}>
                      <Button icon={<PaperClipOutlined />}>{t('register.addPapers')}</Button>
                    </Upload>
                  </div>
                  <Muted>{t('register.papersHint')}</Muted>
                </Flex>
              </Section>
            </div>
          )}
          {problem && <Alert type="error" showIcon title={problem} role="alert" style={{ marginTop: 16 }} data-testid="register-problem" />}
          <Flex gap={8} style={{ marginTop: 16 }}>
            <Button type="primary" htmlType="submit" loading={register.isPending} disabled={!item}>
              {t('register.submit')}
            </Button>
          </Flex>
        </Form>
      )}
    </Flex>
  );
}
