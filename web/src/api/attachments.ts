import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { saveBlob } from '../components/download';
import { api, ApiError, data } from './client';
import type { components } from './schema';

export type Attachment = components['schemas']['Attachment'];
export type AttachmentList = components['schemas']['AttachmentList'];

/** useAttachments is a case's papers (附件); a 403 (a grid worker's) is not retried. */
export function useAttachments(id: string) {
  return useQuery({
    queryKey: ['case', id, 'attachments'],
    queryFn: async ({ signal }) => data(await api.GET('/v1/cases/{id}/attachments', { params: { path: { id } }, signal })),
    retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
  });
}

/** useUpload uploads a paper to the case (multipart); the case's queries load again, the timeline with them. */
export function useUpload(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) =>
      data(
        await api.POST('/v1/cases/{id}/attachments', {
          params: { path: { id } },
          // The form is built here; the typed body only names its field.
          body: { file: '' },
          bodySerializer: () => {
            const fd = new FormData();
            fd.append('file', file, file.name);
            return fd;
          },
        }),
      ),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['case'] }),
  });
}

/** downloadAttachment fetches a paper with the session's token and hands it to the browser by its name. */
export async function downloadAttachment(caseId: string, a: Attachment): Promise<void> {
  const r = await api.GET('/v1/cases/{id}/attachments/{attachment}', {
    params: { path: { id: caseId, attachment: a.id } },
    parseAs: 'blob',
  });
  saveBlob(data(r) as unknown as Blob, a.name);
}
