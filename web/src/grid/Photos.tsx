import { CameraOutlined, CheckCircleOutlined, CloseCircleOutlined, LoadingOutlined, RedoOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Tag, Upload, type UploadFile } from 'antd';
import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadAttachment } from '../api/attachments';
import { ApiError } from '../api/client';
import { Muted } from '../components/text';
import { newKey } from '../register/ids';

/** A photo picked on the grid page, with the Idempotency-Key its upload keeps through retries. */
export type Picked = { uid: string; file: File; key: string };

/**
 * PhotoPicker picks photos before the event is registered: `accept="image/*"` without `capture`,
 * so that the phone offers its camera and its gallery both. Nothing is sent until the case exists.
 */
export function PhotoPicker({ value, onChange, disabled }: { value: Picked[]; onChange: Dispatch<SetStateAction<Picked[]>>; disabled?: boolean }) {
  const { t } = useTranslation();
  const fileList: UploadFile[] = value.map((p) => ({ uid: p.uid, name: p.file.name, originFileObj: p.file as UploadFile['originFileObj'], status: 'done' }));
  return (
    <div data-testid="grid-photos">
      <Upload
        listType="picture-card"
        accept="image/*"
        multiple
        disabled={disabled}
        fileList={fileList}
        beforeUpload={(file) => {
          // Kept here, sent once the event is registered.
          // Several chosen at once come one call each: each adds to the latest list.
          onChange((v) => [...v, { uid: file.uid, file, key: newKey() }]);
          return false;
        }}
        onRemove={(f) => onChange((v) => v.filter((p) => p.uid !== f.uid))}
        showUploadList={{ showPreviewIcon: false }}
      >
        <Flex vertical align="center" gap={4}>
          <CameraOutlined style={{ fontSize: 20 }} />
          <span>{t('grid.addPhoto')}</span>
        </Flex>
      </Upload>
    </div>
  );
}

// Dark enough for white text (axe's contrast check), as the court page's status tags.
const stateColor = { uploading: '#0958d9', done: '#237804', failed: '#cf1322' } as const;

type State = { status: 'uploading' | 'done' | 'failed'; reason?: string };

/** reason is what a refusal says: its first located detail, else its message. */
function reason(e: unknown): string {
  if (e instanceof ApiError) return e.problem?.errors?.[0]?.message || e.message;
  return (e as Error).message;
}

/**
 * PhotoUploads attaches the picked photos to the registered case, one after another (a weak
 * network does better with one at a time), each with its own Idempotency-Key, and shows how each
 * went; a failed one is retried from here, the event not registered again. onBusy says whether
 * any is still on its way.
 */
export function PhotoUploads({ caseId, photos, onBusy }: { caseId: string; photos: Picked[]; onBusy: (busy: boolean) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [states, setStates] = useState<Record<string, State>>(() => Object.fromEntries(photos.map((p) => [p.uid, { status: 'uploading' }])));
  const started = useRef(false);
  const [urls, setUrls] = useState<Record<string, string>>({});
  useEffect(() => {
    const made = Object.fromEntries(photos.map((p) => [p.uid, URL.createObjectURL(p.file)]));
    setUrls(made);
    return () => Object.values(made).forEach((u) => URL.revokeObjectURL(u));
  }, [photos]);

  const send = useCallback(
    async (p: Picked) => {
      setStates((s) => ({ ...s, [p.uid]: { status: 'uploading' } }));
      try {
        await uploadAttachment(caseId, p.file, undefined, p.key);
        setStates((s) => ({ ...s, [p.uid]: { status: 'done' } }));
      } catch (e) {
        setStates((s) => ({ ...s, [p.uid]: { status: 'failed', reason: reason(e) } }));
      } finally {
        void qc.invalidateQueries({ queryKey: ['case'] });
      }
    },
    [caseId, qc],
  );

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      for (const p of photos) await send(p);
    })();
  }, [photos, send]);

  const busy = Object.values(states).some((s) => s.status === 'uploading');
  useEffect(() => onBusy(busy), [busy, onBusy]);

  return (
    <Flex vertical gap={8} data-testid="grid-photo-uploads">
      <span style={{ fontWeight: 500 }}>{t('grid.photos')}</span>
      {photos.map((p) => {
        const s = states[p.uid] ?? { status: 'uploading' };
        return (
          <Flex key={p.uid} gap={8} align="center" data-testid="grid-photo" data-status={s.status}>
            <img src={urls[p.uid]} alt={p.file.name} width={48} height={48} style={{ objectFit: 'cover', borderRadius: 4, flex: 'none' }} />
            <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
              <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{p.file.name}</span>
              {s.status === 'failed' && <Muted>{s.reason}</Muted>}
            </Flex>
            {s.status === 'uploading' && <Tag icon={<LoadingOutlined />} color={stateColor.uploading}>{t('grid.photoUploading')}</Tag>}
            {s.status === 'done' && <Tag icon={<CheckCircleOutlined />} color={stateColor.done}>{t('grid.photoDone')}</Tag>}
            {s.status === 'failed' && (
              <>
                <Tag icon={<CloseCircleOutlined />} color={stateColor.failed}>{t('grid.photoFailed')}</Tag>
                <Button size="small" icon={<RedoOutlined />} onClick={() => void send(p)} aria-label={t('grid.photoRetryOf', { name: p.file.name })}>
                  {t('grid.photoRetry')}
                </Button>
              </>
            )}
          </Flex>
        );
      })}
    </Flex>
  );
}
