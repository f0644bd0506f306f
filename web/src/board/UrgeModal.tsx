import { Alert, Form, Input, Modal, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { notify } from '../components/notify';
import { urgeRefusals } from './board';
import { useUrge } from './queries';

export interface UrgeCase {
  id: string;
  number: string;
}

/**
 * UrgeModal sends one supervision notice (催办) about each chosen case to the units holding it.
 * The server refuses a case held outside the supervisor's subtree (422 at its place in the list):
 * the refusals are shown by case number and nothing is sent; a case with no open task is skipped.
 */
export function UrgeModal({ cases, onClose, onDone }: { cases: UrgeCase[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ message: string }>();
  const urge = useUrge();
  const [problems, setProblems] = useState<{ ref: string; message: string }[]>([]);
  const [skipped, setSkipped] = useState<{ ref: string; message: string }[]>([]);

  async function submit() {
    let v: { message: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setProblems([]);
    setSkipped([]);
    const refs = cases.map((c) => c.number);
    try {
      const r = await urge.mutateAsync({ cases: cases.map((c) => c.id), message: v.message.trim() });
      const done = (r.results ?? []).filter((x) => !x.skipped);
      void notify('success', t('board.urgeDone', { count: done.length }));
      const left = (r.results ?? []).filter((x) => x.skipped).map((x) => ({ ref: x.number, message: x.skipped ?? '' }));
      onDone();
      if (left.length) setSkipped(left);
      else onClose();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.problem?.errors?.length) {
        setProblems(urgeRefusals(err.problem.errors, refs));
      } else {
        setProblems([{ ref: '', message: err instanceof Error ? err.message : String(err) }]);
      }
    }
  }

  return (
    <Modal
      open
      title={t('board.urgeTitle', { count: cases.length })}
      okText={t('board.urgeSend')}
      cancelText={t('form.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={urge.isPending}
      okButtonProps={{ disabled: skipped.length > 0 }}
      destroyOnHidden
      width={560}
    >
      <div style={{ marginBottom: 12, display: 'flex', flexWrap: 'wrap', gap: 4 }} data-testid="urge-cases">
        {cases.map((c) => (
          <Tag key={c.id}>{c.number}</Tag>
        ))}
      </div>
      <Form form={form} layout="vertical" requiredMark={false} name="urge" initialValues={{ message: t('board.urgeDefault') }}>
        <Form.Item name="message" label={t('board.urgeMessage')} rules={[{ required: true, whitespace: true, message: t('board.urgeRequired') }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
      </Form>
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="urge-refusal"
          title={t('board.urgeRefused')}
          description={problems.map((p, i) => (
            <div key={i}>{p.ref ? `${p.ref}：${p.message}` : p.message}</div>
          ))}
        />
      )}
      {skipped.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="urge-skipped"
          title={skipped.map((p) => (
            <div key={p.ref}>
              {p.ref}：{t('board.urgeSkipped', { reason: p.message })}
            </div>
          ))}
        />
      )}
    </Modal>
  );
}
