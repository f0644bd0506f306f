import { Alert, Button, Flex, Input, Modal, Tag, Typography } from 'antd';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, data } from '../api/client';
import type { components } from '../api/schema';
import { notify } from '../components/notify';
import { Muted } from '../components/text';
import { phoneOK, residentIdOK } from './ids';
import './messages';

export type ResidentCase = components['schemas']['ResidentCase'];

/** The resident's numbers as the clerk typed them; only valid ones are looked up. */
export type Identifiers = { id_number?: string; phone?: string };

/** lookupBody keeps the numbers worth looking up: the valid ones. Undefined when none is. */
export function lookupBody(ids: Identifiers): Identifiers | undefined {
  const body: Identifiers = {};
  if (ids.id_number && residentIdOK(ids.id_number)) body.id_number = ids.id_number;
  if (ids.phone && phoneOK(ids.phone)) body.phone = ids.phone;
  return body.id_number || body.phone ? body : undefined;
}

/** useResidentCases are the resident's other cases within the clerk's scope (一人多事), found by the numbers' keyed hashes. */
export function useResidentCases(ids: Identifiers) {
  const body = lookupBody(ids);
  return useQuery({
    queryKey: ['resident-lookup', body],
    enabled: body !== undefined,
    queryFn: async ({ signal }) => data(await api.POST('/v1/residents/lookup', { body: body!, signal })).items ?? [],
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/**
 * ResidentCases shows, as the clerk types the resident's numbers, the resident's other matters: an
 * open one takes the visit (重复访) instead of a new registration, a closed one on the same matter is
 * linked as the case the new one repeats.
 */
export function ResidentCases({ ids, repeatOf, onRepeat }: {
  ids: Identifiers;
  repeatOf?: ResidentCase;
  onRepeat: (c: ResidentCase | undefined) => void;
}) {
  const { t } = useTranslation();
  const found = useResidentCases(ids);
  const [visiting, setVisiting] = useState<ResidentCase>();
  if (!lookupBody(ids) || !found.data) return null;
  if (found.data.length === 0) {
    return <Muted style={{ display: 'block', marginBottom: 16 }}><span data-testid="resident-none">{t('lookup.none')}</span></Muted>;
  }
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="resident-cases"
      title={t('lookup.found', { count: found.data.length })}
      description={
        <>
          <Flex vertical gap={8} style={{ marginTop: 8 }}>
            {found.data.map((c) => (
              <Flex key={c.id} gap={16} justify="space-between" align="center" data-testid={`resident-case-${c.number}`}
                style={{ borderTop: '1px solid rgba(5,5,5,0.06)', paddingTop: 8 }}>
                <Flex vertical gap={2} style={{ minWidth: 0 }}>
                  <Flex gap={8} wrap align="center">
                    <Link to={`/cases/${c.id}`} target="_blank">{c.number}</Link>
                    <Tag>{t(`matter.${c.matter}`, { defaultValue: c.matter })}</Tag>
                    <Tag color={c.status === 'open' ? 'processing' : 'default'}>{t(`status.${c.status}`)}</Tag>
                    {(c.visits ?? 1) > 1 && <Tag color="orange">{t('lookup.visits', { count: c.visits })}</Tag>}
                  </Flex>
                  <Typography.Text ellipsis style={{ maxWidth: 520 }}>{c.subject}</Typography.Text>
                  <Muted>
                    {t('lookup.received', { date: dayjs(c.received_at).format('YYYY-MM-DD') })} ·{' '}
                    {t('lookup.matchedBy', { by: (c.matched_by ?? []).map((k) => t(`lookup.by.${k}`)).join('、') })}
                  </Muted>
                </Flex>
                {c.status === 'open' ? (
                  <Button size="small" onClick={() => setVisiting(c)} data-testid="record-visit">{t('lookup.visit')}</Button>
                ) : repeatOf?.id === c.id ? (
                  <Button size="small" onClick={() => onRepeat(undefined)}>{t('lookup.unlink')}</Button>
                ) : (
                  <Button size="small" onClick={() => onRepeat(c)} data-testid="link-repeat">{t('lookup.repeat')}</Button>
                )}
              </Flex>
            ))}
          </Flex>
          {repeatOf && (
            <Tag color="orange" style={{ marginTop: 8 }} data-testid="repeat-of">{t('lookup.repeating', { number: repeatOf.number, visits: (repeatOf.visits ?? 1) + 1 })}</Tag>
          )}
          {visiting && <VisitDialog kase={visiting} onClose={() => setVisiting(undefined)} onDone={() => setVisiting(undefined)} />}
        </>
      }
    />
  );
}

/** VisitDialog records the resident's visit on an open case (action visit), with what they said. */
function VisitDialog({ kase, onClose, onDone }: { kase: ResidentCase; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const visit = useMutation({
    mutationFn: async () =>
      data(await api.POST('/v1/cases/{id}/actions', { params: { path: { id: kase.id } }, body: { type: 'visit', reason } })),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ['resident-lookup'] });
      void qc.invalidateQueries({ queryKey: ['case'] });
      void notify('success', t('lookup.visited', { number: c.number, count: c.visits ?? 1 }));
      onDone();
    },
  });
  return (
    <Modal
      open
      title={t('lookup.visitTitle', { number: kase.number })}
      okText={t('lookup.visitOk')}
      okButtonProps={{ disabled: !reason.trim(), loading: visit.isPending }}
      onOk={() => visit.mutate()}
      onCancel={onClose}
    >
      <Flex vertical gap={8}>
        <Muted>{t('lookup.visitHint')}</Muted>
        <label htmlFor="visit-reason">{t('lookup.visitReason')}</label>
        <Input.TextArea id="visit-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} data-testid="visit-reason" />
        {visit.error && <Alert type="error" showIcon title={visit.error.message} />}
      </Flex>
    </Modal>
  );
}
