import { MergeView } from '@codemirror/merge';
import { yaml } from '@codemirror/lang-yaml';
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { Alert, Button, Flex, Modal } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Muted } from '../components/text';
import type { VersionDetail } from './queries';

export interface Conflict {
  /** The draft as another administrator saved it. */
  theirs: VersionDetail;
  /** The text this editor tried to save. */
  mine: string;
}

/**
 * ConflictModal shows a draft someone else saved after this editor opened it: their text and
 * this editor's side by side, with the differing lines marked, and asks which to keep. Nothing
 * is lost either way: keeping one's own saves it over theirs knowingly.
 */
export function ConflictModal({ conflict, onTheirs, onMine, busy }: {
  conflict: Conflict; onTheirs: () => void; onMine: () => void; busy: boolean;
}) {
  const { t } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const readOnly = [lineNumbers(), yaml(), EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.lineWrapping,
      EditorState.phrases.of({ '$ unchanged lines': t('studio.conflictUnchanged') })];
    const view = new MergeView({
      a: { doc: conflict.theirs.yaml, extensions: [readOnly, EditorView.contentAttributes.of({ 'aria-label': t('studio.conflictLeft', { who: conflict.theirs.updated_by }) })] },
      b: { doc: conflict.mine, extensions: [readOnly, EditorView.contentAttributes.of({ 'aria-label': t('studio.conflictRight') })] },
      parent: host.current!,
      collapseUnchanged: { margin: 3, minSize: 6 },
      gutter: true,
    });
    return () => view.destroy();
  }, [conflict, t]);
  const at = new Date(conflict.theirs.updated_at).toLocaleString('zh-CN', { hour12: false });
  return (
    <Modal open width={1100} title={t('studio.conflictTitle')} closable={false} maskClosable={false}
      footer={[
        <Button key="theirs" onClick={onTheirs} disabled={busy} data-testid="conflict-theirs">{t('studio.conflictTheirs')}</Button>,
        <Button key="mine" type="primary" danger onClick={onMine} loading={busy} data-testid="conflict-mine">{t('studio.conflictMine')}</Button>,
      ]}>
      <Flex vertical gap={8}>
        <Alert type="warning" showIcon title={t('studio.conflictBody', { who: conflict.theirs.updated_by, at })} />
        <Flex justify="space-between">
          <Muted>{t('studio.conflictLeft', { who: conflict.theirs.updated_by })}</Muted>
          <Muted>{t('studio.conflictRight')}</Muted>
        </Flex>
        <div ref={host} data-testid="conflict-merge" aria-label={t('studio.conflictTitle')} role="group"
          style={{ maxHeight: '60vh', overflow: 'auto', border: '1px solid #d9d9d9', fontSize: 13 }} />
      </Flex>
    </Modal>
  );
}
