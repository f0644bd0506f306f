import '../test-setup';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Form, type FormInstance } from 'antd';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { FormFields, type Field } from './FormFields';

// A form of every field type of docs/procedures.md.
const fields: Field[] = [
  { name: 'petitioner', label: '申请人', label_en: 'Applicant', type: 'text', required: true, max_length: 20 },
  { name: 'facts', label: '事实经过', type: 'long_text', required: true, min_length: 10, help: '写明时间、地点、经过' },
  { name: 'phone', label: '联系电话', type: 'phone' },
  { name: 'id_number', label: '身份证号', type: 'resident_id' },
  { name: 'people', label: '人数', type: 'integer', min: 1, max: 500 },
  { name: 'dispute_type', label: '纠纷类型', type: 'enum', options: [{ value: 'land', label: '土地草场' }, { value: 'neighbour', label: '邻里' }] },
  { name: 'happened_on', label: '发生日期', type: 'date' },
  { name: 'urgent', label: '紧急', type: 'boolean' },
];

let form: FormInstance;
function Harness() {
  [form] = Form.useForm();
  return (
    <Form form={form} layout="vertical">
      <FormFields fields={fields} />
    </Form>
  );
}

/** errorsOf validates the form and returns its messages by field name. */
async function errorsOf(): Promise<Record<string, string[]>> {
  let out: Record<string, string[]> = {};
  await act(async () => {
    await form.validateFields().catch(() => undefined);
  });
  for (const f of form.getFieldsError()) if (f.errors.length) out = { ...out, [String(f.name[1])]: f.errors };
  return out;
}

beforeEach(() => i18n.changeLanguage('zh-CN'));
afterEach(cleanup);

describe('FormFields, the form generated from a procedure', () => {
  it('draws an input of its type for every field, labelled in Chinese', () => {
    render(<Harness />);
    expect(screen.getByLabelText('申请人').tagName).toBe('INPUT');
    expect(screen.getByLabelText('事实经过').tagName).toBe('TEXTAREA');
    expect(screen.getByLabelText('联系电话').getAttribute('inputmode')).toBe('tel');
    expect(screen.getByLabelText('身份证号').getAttribute('maxlength')).toBe('18');
    expect(screen.getByLabelText('人数').getAttribute('role')).toBe('spinbutton');
    expect(screen.getByLabelText('纠纷类型').getAttribute('role')).toBe('combobox');
    expect(screen.getByLabelText('发生日期')).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: '紧急' })).toBeTruthy();
    expect(screen.getByText('写明时间、地点、经过')).toBeTruthy(); // the field's help
  });

  it('requires what the procedure requires, and checks lengths', async () => {
    render(<Harness />);
    let errs = await errorsOf();
    expect(errs.petitioner).toEqual(['请填写申请人']);
    expect(errs.facts).toEqual(['请填写事实经过']);
    expect(errs.phone).toBeUndefined(); // optional

    act(() => form.setFieldsValue({ data: { petitioner: '巴特尔', facts: '太短' } }));
    errs = await errorsOf();
    expect(errs.petitioner).toBeUndefined();
    expect(errs.facts).toEqual(['事实经过至少10个字']);
  });

  it('checks a phone and a resident ID number as they are typed', async () => {
    render(<Harness />);
    fireEvent.change(screen.getByLabelText('联系电话'), { target: { value: '12' } });
    fireEvent.change(screen.getByLabelText('身份证号'), { target: { value: '110105194912310021' } });
    expect(await screen.findByText('电话号码不正确（11位手机号，或带区号的固定电话）')).toBeTruthy();
    expect(await screen.findByText('身份证号不正确（请核对出生日期和最后一位校验码）')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('联系电话'), { target: { value: '13800138000' } });
    fireEvent.change(screen.getByLabelText('身份证号'), { target: { value: '11010519491231002X' } });
    const errs = await errorsOf();
    expect(errs.phone).toBeUndefined();
    expect(errs.id_number).toBeUndefined();
  });

  it('keeps the values under data, as POST /v1/cases takes them', () => {
    render(<Harness />);
    fireEvent.change(screen.getByLabelText('申请人'), { target: { value: '巴特尔' } });
    fireEvent.click(screen.getByRole('checkbox', { name: '紧急' }));
    expect(form.getFieldsValue()).toMatchObject({ data: { petitioner: '巴特尔', urgent: true } });
  });

  it('labels the fields in English when the page is', async () => {
    await i18n.changeLanguage('en');
    render(<Harness />);
    expect(screen.getByLabelText('Applicant')).toBeTruthy();
    expect(screen.getByLabelText('事实经过')).toBeTruthy(); // no English label: the Chinese one
  });
});

describe('FormFields with a step\'s rights', () => {
  it('leaves hidden fields out, shows read-only ones disabled and requires the required ones', async () => {
    let f2!: FormInstance;
    function Rights() {
      [f2] = Form.useForm();
      return (
        <Form form={f2} layout="vertical" initialValues={{ data: { facts: '邻居占用草场多年' } }}>
          <FormFields fields={fields} rights={{ phone: 'hidden', facts: 'readonly', people: 'required' }} />
        </Form>
      );
    }
    render(<Rights />);
    expect(screen.queryByLabelText('联系电话')).toBeNull();
    expect(screen.getByLabelText('事实经过')).toHaveProperty('disabled', true);
    await act(async () => {
      await f2.validateFields().catch(() => undefined);
    });
    const errs = Object.fromEntries(f2.getFieldsError().filter((e) => e.errors.length).map((e) => [String(e.name[1]), e.errors]));
    expect(Object.keys(errs).sort()).toEqual(['people', 'petitioner']);
  });
});
