import { Button, Flex, Form, Input } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../api/client';
import type { CaseDetail } from '../api/queries';
import { FormModal } from '../components/FormModal';
import { notify } from '../components/notify';

interface JoinForm {
  name: string;
  id_number?: string;
  phone?: string;
  note?: string;
}

/**
 * Residents names the case's resident and the others who bring the matter with them (集体访),
 * and lets the staff who register matters add one (POST /v1/cases/{id}/residents): the resident
 * lookup then finds the case by their numbers too.
 */
export function Residents({ kase, canAdd }: { kase: CaseDetail; canAdd: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const others = kase.residents ?? [];
  return (
    <Flex gap={8} wrap align="center" data-testid="residents">
      <span>{kase.resident_name}</span>
      {others.length > 0 && (
        <span>
          {t('case.groupOthers', { names: others.map((r) => r.name).join('、'), count: others.length + 1 })}
        </span>
      )}
      {canAdd && (
        <Button size="small" type="link" onClick={() => setAdding(true)} data-testid="add-resident" style={{ padding: 0 }}>
          {t('case.addResident')}
        </Button>
      )}
      {adding && <JoinModal id={kase.id} onClose={() => setAdding(false)} />}
    </Flex>
  );
}

function JoinModal({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<JoinForm>();
  const join = useMutation({
    mutationFn: async (body: JoinForm) => data(await api.POST('/v1/cases/{id}/residents', { params: { path: { id } }, body })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['case'] }); // read by its number or its id
      void qc.invalidateQueries({ queryKey: ['resident-lookup'] });
    },
  });
  return (
    <FormModal<JoinForm>
      title={t('case.addResidentTitle')}
      form={form}
      fields={['name', 'id_number', 'phone', 'note']}
      okText={t('case.addResidentOk')}
      refusedTitle={t('case.addResidentRefused')}
      testId="join-form"
      onSave={async (v) => {
        const c = await join.mutateAsync(v);
        void notify('success', t('case.residentAdded', { name: v.name, count: (c.residents?.length ?? 0) + 1 }));
      }}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('case.residentName')} rules={[{ required: true, message: t('case.required') }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="id_number" label={t('case.residentId')}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item name="phone" label={t('case.residentPhone')} extra={t('case.residentNumbers')}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item name="note" label={t('case.residentNote')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}
