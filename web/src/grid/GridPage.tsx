import './messages';
import { EnvironmentOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, Radio, Result } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, data } from '../api/client';
import { orgUnitName, useOrgUnits } from '../api/org';
import { useRegister, type CreateCase } from '../api/queries';
import { useSession } from '../auth/session';
import { nameOf } from '../components/names';
import { Heading, Muted } from '../components/text';
import { newKey, phoneOK } from '../register/ids';
import { PhotoPicker, PhotoUploads, type Picked } from './Photos';

const kinds = ['person', 'event', 'place', 'thing', 'situation'] as const;

type Fields = { kind: (typeof kinds)[number]; description: string; resident?: string; phone?: string };
type Registered = { id: string; number: string };
// Not lat/lng: i18next reads an option named lng as the language to translate into.
type Where = { latitude: number; longitude: number };

/**
 * GridPage is 网格上报, the grid worker's page on a phone: what they found in their grid, registered
 * as a grid_event case at the grid (POST /v1/cases, one case however often a weak network makes
 * the phone send it), then settled on the spot or reported up to the village from the same screen.
 */
export function GridPage() {
  const { t, i18n } = useTranslation();
  const user = useSession()?.user;
  const units = useOrgUnits();
  const [form] = Form.useForm<Fields>();
  const register = useRegister();
  const [key, setKey] = useState(newKey);
  const [where, setWhere] = useState<Where>();
  const [locating, setLocating] = useState<string>();
  const [registered, setRegistered] = useState<Registered>();
  const [photos, setPhotos] = useState<Picked[]>([]);
  const [sending, setSending] = useState(false);
  const grid = user?.org_unit ?? '';
  const en = !i18n.language.startsWith('zh');

  function locate() {
    setLocating('…');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setWhere({ latitude: +p.coords.latitude.toFixed(6), longitude: +p.coords.longitude.toFixed(6) });
        setLocating(undefined);
      },
      (e) => setLocating(t('grid.locateFailed', { reason: e.message })),
      { timeout: 15_000 },
    );
  }

  function submit(f: Fields) {
    const description = f.description.trim();
    const body: CreateCase = {
      matter: 'grid_event', channel: 'grid', received_by: grid,
      subject: `${t(`grid.kinds.${f.kind}`)}：${description.slice(0, 40)}`,
      resident_name: f.resident?.trim() || t('grid.unnamed'),
      data: {
        kind: f.kind, grid, description, occurred_at: dayjs().format('YYYY-MM-DD HH:mm'),
        ...(where ? { coordinates: `${where.latitude},${where.longitude}` } : {}),
        ...(f.resident?.trim() ? { resident: f.resident.trim() } : {}),
        ...(f.phone?.trim() ? { phone: f.phone.trim() } : {}),
      },
    };
    register.mutate({ body, key }, { onSuccess: (c) => setRegistered({ id: c.id, number: c.number }) });
  }

  function again() {
    form.resetFields();
    setWhere(undefined);
    setRegistered(undefined);
    setPhotos([]);
    setSending(false);
    register.reset();
    setKey(newKey());
  }

  return (
    <Flex vertical gap={12} style={{ maxWidth: 560 }}>
      <Heading level={2}>{t('grid.title')}</Heading>
      <span data-testid="grid-unit"><Muted>{orgUnitName(units.data, grid, en)}</Muted></span>
      {registered ? (
        <>
          <Handle kase={registered} again={again} sending={sending} />
          {/* Here, not in Handle: it stays as the event is settled or reported up, its uploads going on. */}
          {photos.length > 0 && <PhotoUploads caseId={registered.id} photos={photos} onBusy={setSending} />}
        </>
      ) : (
        <>
          <Muted>{t('grid.note')}</Muted>
          <Form<Fields> form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={register.isPending}>
            <Form.Item name="kind" label={t('grid.kind')} rules={[{ required: true, message: t('grid.required', { field: t('grid.kind') }) }]}>
              <Radio.Group optionType="button" buttonStyle="solid" size="large" style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                {kinds.map((k) => (
                  <Radio.Button key={k} value={k} style={{ minWidth: 56, textAlign: 'center' }} title={t(`grid.kindHelp.${k}`)}>
                    {t(`grid.kinds.${k}`)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item
              name="description"
              label={t('grid.description')}
              extra={t('grid.descriptionHelp')}
              rules={[
                { required: true, message: t('grid.required', { field: t('grid.description') }) },
                { min: 2, message: t('grid.descriptionShort') },
                { max: 5000 },
              ]}
            >
              <Input.TextArea rows={4} />
            </Form.Item>
            <Form.Item name="resident" label={t('grid.resident')} rules={[{ max: 50 }]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="phone"
              label={t('grid.phone')}
              rules={[{ validator: (_, v?: string) => (!v || phoneOK(v) ? Promise.resolve() : Promise.reject(new Error(t('grid.badPhone')))) }]}
            >
              <Input inputMode="tel" autoComplete="off" />
            </Form.Item>
            <Form.Item label={t('grid.where')}>
              <Flex vertical gap={4}>
                <Button icon={<EnvironmentOutlined />} onClick={locate} loading={locating === '…'} data-testid="grid-locate">
                  {t('grid.locate')}
                </Button>
                <Muted>{where ? t('grid.located', where) : (locating && locating !== '…' ? locating : t('grid.noLocation'))}</Muted>
              </Flex>
            </Form.Item>
            <Form.Item label={t('grid.photos')} extra={t('grid.photosHelp')}>
              <PhotoPicker value={photos} onChange={setPhotos} disabled={register.isPending} />
            </Form.Item>
            {register.error && <Alert type="error" showIcon title={t('error.generic', { reason: register.error.message })} style={{ marginBottom: 12 }} />}
            <Button type="primary" htmlType="submit" size="large" block loading={register.isPending}>
              {t('grid.submit')}
            </Button>
          </Form>
        </>
      )}
    </Flex>
  );
}

/** Handle settles the registered event on the spot or reports it up, as the step's outcomes say. */
function Handle({ kase, again, sending }: { kase: Registered; again: () => void; sending: boolean }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState<'on_spot' | 'escalate'>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<{ outcome: 'on_spot' | 'escalate'; unit: string }>();

  async function act(outcome: 'on_spot' | 'escalate') {
    setBusy(outcome);
    setError(undefined);
    try {
      const body = { type: 'complete' as const, outcome, result: text, ...(outcome === 'on_spot' ? { data: { handling: text } } : {}) };
      data(await api.POST('/v1/cases/{id}/actions', { params: { path: { id: kase.id } }, body }));
      // A write's answer has no names: the read names the unit the case went up to.
      const c = data(await api.GET('/v1/cases/{id}', { params: { path: { id: kase.id } } }));
      setDone({ outcome, unit: nameOf(c.names, 'units', c.org_unit, i18n.language) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  if (done) {
    return (
      <Result
        status="success"
        title={done.outcome === 'on_spot' ? t('grid.closed') : t('grid.escalated', { unit: done.unit })}
        subTitle={kase.number}
        extra={[
          // Not while photos are on their way: the page would forget them half-sent.
          <Button key="again" type="primary" size="large" onClick={again} disabled={sending}>{t('grid.another')}</Button>,
          <Link key="open" to={`/cases/${kase.number}`}>{t('grid.open')}</Link>,
        ]}
        data-testid="grid-done"
      />
    );
  }
  return (
    <Flex vertical gap={12} data-testid="grid-handle">
      <Alert type="success" showIcon title={t('grid.registered', { number: kase.number })} />
      <label htmlFor="grid-handling" style={{ fontWeight: 500 }}>{t('grid.handling')} / {t('grid.escalateReason')}</label>
      <Input.TextArea id="grid-handling" rows={3} value={text} onChange={(e) => setText(e.target.value)} maxLength={5000} />
      {error && <Alert type="error" showIcon title={t('error.generic', { reason: error })} />}
      <Button type="primary" size="large" block disabled={!text.trim() || !!busy} loading={busy === 'on_spot'} onClick={() => void act('on_spot')}>
        {t('grid.onSpot')}
      </Button>
      <Button size="large" block disabled={!text.trim() || !!busy} loading={busy === 'escalate'} onClick={() => void act('escalate')}>
        {t('grid.escalate')}
      </Button>
    </Flex>
  );
}
