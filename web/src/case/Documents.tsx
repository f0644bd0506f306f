import { DownOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Dropdown } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { saveBlob } from '../components/download';
import { notify } from '../components/notify';

type CaseDocument = components['schemas']['CaseDocument'];
type Kind = CaseDocument['kind'];

/** useDocuments is what GET /v1/cases/{id}/documents says the case can produce now, and why not (in the page's language, which the client sends). */
function useDocuments(id: string, lang: string) {
  return useQuery({
    queryKey: ['case', id, 'documents', lang],
    queryFn: async ({ signal }) => data(await api.GET('/v1/cases/{id}/documents', { params: { path: { id } }, signal })).items ?? [],
  });
}

const paths = {
  'acceptance-notice': '/v1/cases/{id}/documents/acceptance-notice.pdf',
  'mediation-agreement': '/v1/cases/{id}/documents/mediation-agreement.pdf',
  summary: '/v1/cases/{id}/documents/summary.pdf',
} as const;

/** fetchPDF gets a document with the session's token (never in a URL) as a blob. */
async function fetchPDF(id: string, kind: Kind): Promise<Blob> {
  const r = await api.GET(paths[kind], { params: { path: { id } }, parseAs: 'blob' });
  if (!r.response.ok || !r.data) throw new ApiError(r.response.status, r.error as Problem | undefined);
  return r.data as Blob;
}

/** Documents is the 文书 menu of the case page: the PDFs the case can produce, those it cannot yet shown disabled with the reason. */
export function Documents({ id, number }: { id: string; number: string }) {
  const { t, i18n } = useTranslation();
  const docs = useDocuments(id, i18n.language);
  const [busy, setBusy] = useState(false);

  async function download(d: CaseDocument) {
    setBusy(true);
    try {
      saveBlob(await fetchPDF(id, d.kind), `${t(`documents.${d.kind}`)}-${number}.pdf`);
    } catch (e) {
      void notify('error', t('error.generic', { reason: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  // The server names the paper as printed (信访事项受理告知书); an English page says what it is.
  const name = (d: CaseDocument) => (i18n.language.startsWith('zh') ? d.name : t(`documents.${d.kind}`));
  const items = (docs.data ?? []).map((d) => ({
    key: d.kind,
    disabled: !d.available,
    'data-testid': `document-${d.kind}`,
    label: d.available ? name(d) : `${name(d)}（${d.reason ?? t('documents.unavailable')}）`,
    onClick: () => void download(d),
  }));
  return (
    <Dropdown menu={{ items }} disabled={docs.isLoading || !!docs.error} trigger={['click']}>
      <Button icon={<FilePdfOutlined />} loading={busy} data-testid="documents">
        {t('documents.title')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}
