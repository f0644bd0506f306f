import { Checkbox, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';
import { phoneOK, residentIdOK } from './ids';
import './messages';

export type Field = components['schemas']['Field'];

/** fieldLabel is a field's label in the page's language. */
export const fieldLabel = (f: Field, en: boolean) => (en && f.label_en) || f.label;

/** fieldRules are the checks the form makes as the clerk types, the same the server makes (docs/procedures.md). */
export function fieldRules(f: Field, t: TFunction, en: boolean): Rule[] {
  const label = fieldLabel(f, en);
  const r: Rule[] = [];
  if (f.required) r.push({ required: true, message: t('register.required', { field: label }) });
  if (f.type === 'phone')
    r.push({ validator: (_, v?: string) => (!v || phoneOK(v) ? Promise.resolve() : Promise.reject(new Error(t('register.badPhone')))) });
  if (f.type === 'resident_id')
    r.push({ validator: (_, v?: string) => (!v || residentIdOK(v) ? Promise.resolve() : Promise.reject(new Error(t('register.badId')))) });
  if (f.min_length) r.push({ min: f.min_length, message: t('register.minLength', { field: label, count: f.min_length }) });
  if (f.max_length) r.push({ max: f.max_length, message: t('register.maxLength', { field: label, count: f.max_length }) });
  return r;
}

function input(f: Field, en: boolean, disabled = false) {
  switch (f.type) {
    case 'long_text':
      return <Input.TextArea disabled={disabled} rows={4} maxLength={f.max_length} />;
    case 'integer':
      return <InputNumber disabled={disabled} min={f.min} max={f.max} precision={0} style={{ width: 200 }} />;
    case 'boolean':
      return <Checkbox disabled={disabled}>{fieldLabel(f, en)}</Checkbox>;
    case 'enum':
      return <Select disabled={disabled} allowClear options={(f.options ?? []).map((o) => ({ value: o.value, label: (en && o.label_en) || o.label }))} />;
    case 'date':
      return <DatePicker disabled={disabled} />;
    case 'phone':
      return <Input disabled={disabled} inputMode="tel" autoComplete="off" style={{ maxWidth: 240 }} />;
    case 'resident_id':
      return <Input disabled={disabled} autoComplete="off" maxLength={18} style={{ maxWidth: 280 }} />;
    default:
      return <Input disabled={disabled} maxLength={f.max_length} />;
  }
}

/** The rights on form fields at a step (字段权限), by field name; a field not named is editable. */
export type FieldRights = Record<string, 'editable' | 'readonly' | 'hidden' | 'required'>;

/** fieldsWithRights are the fields as a step's rights make them: hidden ones left out, required ones required. */
export function fieldsWithRights(fields: Field[], rights: FieldRights = {}): Field[] {
  return fields
    .filter((f) => rights[f.name] !== 'hidden')
    .map((f) => (rights[f.name] === 'required' ? { ...f, required: true } : f));
}

/**
 * FormFields is the form generated from a procedure's form definition: an input per field, of
 * its type, checked as the clerk types, its values under `data` (the body of POST /v1/cases).
 * With a step's rights, hidden fields are absent, read-only ones shown disabled and unchecked.
 */
export function FormFields({ fields, rights = {} }: { fields: Field[]; rights?: FieldRights }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  return (
    <>
      {fieldsWithRights(fields, rights).map((f) => {
        const readOnly = rights[f.name] === 'readonly';
        return (
          <Form.Item
            key={f.name}
            name={['data', f.name]}
            label={f.type === 'boolean' ? undefined : fieldLabel(f, en)}
            extra={f.help}
            valuePropName={f.type === 'boolean' ? 'checked' : 'value'}
            rules={readOnly ? [] : fieldRules(f, t, en)}
            validateTrigger={f.type === 'resident_id' || f.type === 'phone' ? ['onChange', 'onBlur'] : 'onChange'}
          >
            {input(f, en, readOnly)}
          </Form.Item>
        );
      })}
    </>
  );
}


