import { Alert, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useActions, type QueueItem } from '../api/queries';
import { notify } from '../components/notify';
import { useBatch, type BatchInput, type BatchResult } from '../tasks/queries';
import '../tasks/messages';

/** batchableOutcomes are the outcomes the server offers as batchable on the task (one needing no written opinion). */
export function batchableOutcomes(actions: { type: string; task?: string; outcomes?: { id: string; name: string; batchable?: boolean; refusals?: string[] | null }[] | null }[], task: string) {
  const complete = actions.find((a) => a.type === 'complete' && a.task === task);
  return (complete?.outcomes ?? []).filter((o) => o.batchable && !o.refusals?.length);
}

/**
 * BatchBar applies one note, claim or batchable outcome to the selected tasks of the queue
 * (批量办理): the server validates and applies each on its own and says which were refused.
 */
export function BatchBar({ selected, onDone }: { selected: QueueItem[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [refused, setRefused] = useState<BatchResult[]>([]);
  return (
    <>
      {selected.length > 0 && <Bar selected={selected} onDone={onDone} onRefused={setRefused} />}
      {refused.length > 0 && (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setRefused([]) }}
          data-testid="batch-refused"
          title={t('batch.refusedTitle')}
          description={refused.map((r) => (
            <div key={`${r.case}/${r.task}`}>
              {r.case_number || r.case} {r.task}：{r.problem?.detail ?? r.status}
            </div>
          ))}
        />
      )}
    </>
  );
}

function Bar({ selected, onDone, onRefused }: { selected: QueueItem[]; onDone: () => void; onRefused: (r: BatchResult[]) => void }) {
  const { t } = useTranslation();
  const batch = useBatch();
  const [dialog, setDialog] = useState<'note' | 'complete'>();
  const setRefused = onRefused;
  const [form] = Form.useForm<{ reason?: string; outcome?: string }>();
  // The outcomes offered as batchable on the first selected task; the server checks every task.
  const first = selected[0]!;
  const actions = useActions(first.case_id);
  const outcomes = useMemo(() => batchableOutcomes(actions.data ?? [], first.task.id), [actions.data, first]);
  const tasks = selected.map((r) => ({ case: r.case_id, task: r.task.id }));

  async function run(body: BatchInput) {
    try {
      const out = await batch.mutateAsync({ body, key: crypto.randomUUID() });
      const bad = (out.results ?? []).filter((r) => r.status !== 200);
      setRefused(bad);
      void notify(bad.length === tasks.length ? 'error' : 'success', t('batch.result', { applied: out.applied, refused: out.refused }));
      setDialog(undefined);
      form.resetFields();
      onDone();
    } catch (e) {
      void notify('error', t('error.generic', { reason: (e as Error).message }));
    }
  }

  async function submit() {
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    if (dialog === 'note') await run({ operation: 'note', reason: v.reason, tasks });
    else await run({ operation: 'complete', outcome: v.outcome, reason: v.reason || undefined, tasks });
  }

  return (
    <>
      <Space wrap data-testid="batch-bar">
          <strong>{t('batch.selected', { count: selected.length })}</strong>
          <Button onClick={() => void run({ operation: 'claim', tasks })} loading={batch.isPending && !dialog}>
            {t('batch.claim')}
          </Button>
          <Button onClick={() => setDialog('note')}>{t('batch.note')}</Button>
          <Button type="primary" onClick={() => setDialog('complete')} disabled={outcomes.length === 0} title={outcomes.length ? undefined : t('batch.noOutcome')}>
            {t('batch.complete')}
          </Button>
          <Button type="link" onClick={onDone}>{t('batch.clear')}</Button>
      </Space>
      <Modal
        open={!!dialog}
        title={t(dialog === 'note' ? 'batch.noteTitle' : 'batch.completeTitle', { count: selected.length })}
        okText={t('batch.submit')}
        cancelText={t('batch.cancel')}
        onOk={() => void submit()}
        onCancel={() => setDialog(undefined)}
        confirmLoading={batch.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" requiredMark={false} name="batch">
          {dialog === 'complete' && (
            <Form.Item name="outcome" label={t('batch.outcome')} rules={[{ required: true, message: t('batch.outcome') }]}>
              <Select options={outcomes.map((o) => ({ value: o.id, label: o.name }))} />
            </Form.Item>
          )}
          <Form.Item
            name="reason"
            label={t(dialog === 'note' ? 'batch.noteText' : 'batch.remark')}
            rules={dialog === 'note' ? [{ required: true, message: t('batch.noteRequired') }] : []}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
