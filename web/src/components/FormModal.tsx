import { Alert, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { placeProblems } from './problems';

/**
 * FormModal is the dialog of one save: it checks the form, saves it, and on a refusal puts the
 * server's messages at the fields they name (and the rest, or a 409's detail, above the buttons).
 * It closes only when the save went through.
 */
export function FormModal<V extends object>({ title, form, fields, initialValues, onSave, onClose, children, testId, okText, refusedTitle, width = 560, lists }: {
  title: ReactNode;
  form: FormInstance<V>;
  fields: readonly string[];
  initialValues?: Partial<V>;
  onSave: (values: V) => Promise<unknown>;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  /** The save button's and the refusal's words: the organisation page's when not given. */
  okText?: string;
  refusedTitle?: string;
  width?: number;
  /** Fields that edit a whole list in one control: a problem at one of its items is shown under the control. */
  lists?: readonly string[];
}) {
  const { t } = useTranslation();
  const [rest, setRest] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setRest([]);
    try {
      await onSave(values);
      onClose();
    } catch (e) {
      const p = placeProblems(e instanceof ApiError ? e.problem : undefined, e instanceof Error ? e.message : String(e), fields, lists);
      form.setFields(p.placed.map((x) => ({ name: x.name as never, errors: x.errors })));
      setRest(p.rest);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={title} onOk={() => void ok()} okText={okText ?? t('org.save')} confirmLoading={busy}
      onCancel={onClose} destroyOnHidden maskClosable={false} width={width}>
      <Form<V> form={form} layout="vertical" initialValues={initialValues} data-testid={testId} onFinish={() => void ok()}>
        {children}
      </Form>
      {rest.length > 0 && <Alert type="error" showIcon role="alert" data-testid="form-refusal" title={refusedTitle ?? t('org.refused')} description={rest.join('；')} />}
    </Modal>
  );
}
