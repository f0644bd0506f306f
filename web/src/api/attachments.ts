import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { saveBlob } from '../components/download';
import { api, ApiError, data } from './client';
import type { components } from './schema';

export type Attachment = components['schemas']['Attachment'];
export type AttachmentList = components['schemas']['AttachmentList'];

/** useAttachments is a case's papers (附件), the deleted and replaced ones too when deleted; a 403 (a grid worker's) is not retried. */
export function useAttachments(id: string, deleted = false) {
  return useQuery({
    queryKey: ['case', id, 'attachments', deleted],
    queryFn: async ({ signal }) =>
      data(await api.GET('/v1/cases/{id}/attachments', { params: { path: { id }, query: { deleted } }, signal })),
    retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
  });
}

/**
 * useUpload uploads a paper to the case (multipart), in place of the paper replaces when given;
 * the case's queries load again, the timeline with them.
 */
export function useUpload(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ file, replaces }: { file: File; replaces?: string }) => uploadAttachment(id, file, replaces),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['case'] }),
  });
}

/**
 * uploadAttachment adds file to the case id's papers, in place of the paper replaces when given;
 * with an idempotency key, sending it again adds it once.
 */
export async function uploadAttachment(id: string, file: File, replaces?: string, idempotencyKey?: string) {
  return data(
    await api.POST('/v1/cases/{id}/attachments', {
      params: { path: { id } },
      headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {},
      // The form is built here; the typed body only names its field.
      body: { file: '' },
      bodySerializer: () => {
        const fd = new FormData();
        fd.append('file', file, file.name);
        if (replaces) fd.append('replaces', replaces);
        return fd;
      },
    }),
  );
}

/** useDeleteAttachment deletes a paper with a reason: it stays in storage and in the timeline with its checksum. */
export function useDeleteAttachment(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ attachment, reason }: { attachment: string; reason: string }) =>
      data(
        await api.DELETE('/v1/cases/{id}/attachments/{attachment}', {
          params: { path: { id, attachment }, query: { reason: reason || undefined } },
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
