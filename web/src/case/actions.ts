import type { ErrorDetail } from './types';

/** The request fields an action's form can ask for, in the order they are shown. */
export const formFields = [
  'outcome', 'target', 'departments', 'step', 'order', 'user', 'copy_to', 'responsible', 'extension', 'rating', 'result', 'reason',
] as const;
export type FormField = (typeof formFields)[number];

/** The fields of an action's form: what it needs, plus what its chosen outcome needs. */
export function fieldsOf(needs: readonly string[] | null | undefined): FormField[] {
  const n = new Set(needs ?? []);
  return formFields.filter((f) => n.has(f));
}

/**
 * fieldOf maps a 422 problem's location to the form field it belongs under: body.reason is
 * reason, body.extension.amount is extension, body.data.phone is data; anything else is the
 * form's own (shown above the buttons).
 */
export function fieldOf(location: string | undefined): string | undefined {
  if (!location) return undefined;
  const m = /^body\.([A-Za-z_]+)/.exec(location);
  return m ? m[1] : undefined;
}

/** problemsByField groups a 422's errors by form field; those of no field are under ''. */
export function problemsByField(errors: readonly ErrorDetail[] | null | undefined, fields: readonly string[]) {
  const out: Record<string, string[]> = {};
  for (const e of errors ?? []) {
    const f = fieldOf(e.location);
    const key = f && fields.includes(f) ? f : '';
    (out[key] ??= []).push(e.message ?? e.code ?? '');
  }
  return out;
}

/** Result kinds a close may record when the server offers no outcomes of the procedure. */
export const closeKinds = [
  'resolved', 'mediated_success', 'mediated_failure', 'withdrawn', 'transferred', 'refused', 'terminated', 'not_accepted',
] as const;

