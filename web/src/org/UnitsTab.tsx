import { Button, Descriptions, Empty, Flex, Form, Input, Select, Space, Tree, theme } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notify } from '../components/notify';
import { Muted } from '../components/text';
import { FormModal } from '../components/FormModal';
import { childLevel, filterTree, openKeys, parentLevel, unitBody, unitLabel, unitTree, type UnitForm } from './org';
import { useOrgWrites, type OrgUnit } from './queries';

const unitFields = ['code', 'name', 'name_en', 'parent', 'number_prefix'] as const;

/** UnitsTab is 组织机构: the org tree, the chosen unit's details, its edit and a new unit below it. */
export function UnitsTab({ units }: { units: OrgUnit[] }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const { token } = theme.useToken();
  const tree = useMemo(() => unitTree(units, en), [units, en]);
  const [q, setQ] = useState('');
  const [expanded, setExpanded] = useState<string[]>(() => openKeys(units));
  const [selected, setSelected] = useState<string>();
  const [dialog, setDialog] = useState<'edit' | 'add'>();
  const shown = useMemo(() => filterTree(tree, units, q), [tree, units, q]);
  const unit = units.find((u) => u.code === selected);

  const search = (v: string) => {
    setQ(v);
    const f = filterTree(tree, units, v);
    if (v.trim()) setExpanded(f.expand);
  };

  return (
    <Flex gap={16} wrap align="flex-start">
      <Flex vertical gap={8} style={{ flex: '0 1 380px', minWidth: 280 }}>
        <Input.Search allowClear placeholder={t('org.search')} aria-label={t('org.search')} value={q} onChange={(e) => search(e.target.value)} />
        <div style={{ maxHeight: 'calc(100vh - 300px)', minHeight: 240, overflow: 'auto', border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadius, padding: 4 }}>
          {shown.tree.length ? (
            <Tree
              showLine blockNode data-testid="org-tree" treeData={shown.tree}
              expandedKeys={expanded} onExpand={(keys) => setExpanded(keys as string[])}
              selectedKeys={selected ? [selected] : []}
              onSelect={(keys) => keys.length && setSelected(String(keys[0]))}
              titleRender={(n) => (
                <span data-testid={`unit-${n.key}`}>
                  {n.title} <Muted style={{ fontSize: 12 }}>{t(`org.level.${n.level}`)}</Muted>
                </span>
              )}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.noUnits')} />
          )}
        </div>
      </Flex>
      <div style={{ flex: '1 1 420px', minWidth: 0 }}>
        {unit ? <UnitDetails unit={unit} units={units} onEdit={() => setDialog('edit')} onAdd={() => setDialog('add')} /> : <Muted>{t('org.pick')}</Muted>}
      </div>
      {unit && dialog === 'edit' && <EditUnit unit={unit} units={units} onClose={() => setDialog(undefined)} />}
      {unit && dialog === 'add' && (
        <AddUnit parent={unit} units={units} onClose={() => setDialog(undefined)}
          onAdded={(code) => {
            setExpanded((e) => (e.includes(unit.code) ? e : [...e, unit.code]));
            setSelected(code);
          }} />
      )}
    </Flex>
  );
}

function UnitDetails({ unit, units, onEdit, onAdd }: { unit: OrgUnit; units: OrgUnit[]; onEdit: () => void; onAdd: () => void }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const parent = units.find((u) => u.code === unit.parent);
  const below = childLevel(unit.level);
  const children = units.filter((u) => u.parent === unit.code).length;
  return (
    <Flex vertical gap={12}>
      <Descriptions bordered size="small" column={1} data-testid="unit-details" styles={{ label: { width: 150 } }}
        items={[
          { key: 'code', label: t('org.code'), children: <code>{unit.code}</code> },
          { key: 'name', label: t('org.name'), children: unit.name },
          { key: 'name_en', label: t('org.nameEn'), children: unit.name_en || t('org.none') },
          { key: 'level', label: t('org.levelLabel'), children: t(`org.level.${unit.level}`) },
          { key: 'parent', label: t('org.parent'), children: parent ? unitLabel(parent, en) : unit.parent || t('org.none') },
          ...(unit.level === 'government' ? [{ key: 'prefix', label: t('org.prefix'), children: unit.number_prefix || t('org.none') }] : []),
          { key: 'children', label: t('org.children'), children: t('org.childCount', { count: children }) },
        ]} />
      <Space wrap>
        <Button onClick={onEdit}>{t('org.edit')}</Button>
        <Button type="primary" onClick={onAdd} disabled={!below}>{t('org.addChild')}</Button>
        {!below && <Muted>{t('org.noChild')}</Muted>}
      </Space>
    </Flex>
  );
}

/** NameFields are a unit's names and, for a county's government unit, the prefix of its case numbers. */
function NameFields({ level }: { level: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="name" label={t('org.name')} rules={[{ required: true, whitespace: true, message: t('org.required', { field: t('org.name') }) }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="name_en" label={t('org.nameEn')}>
        <Input maxLength={200} />
      </Form.Item>
      {level === 'government' && (
        <Form.Item name="number_prefix" label={t('org.prefix')} extra={t('org.prefixHelp')}>
          <Input maxLength={8} style={{ width: 160 }} />
        </Form.Item>
      )}
    </>
  );
}

function EditUnit({ unit, units, onClose }: { unit: OrgUnit; units: OrgUnit[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const [form] = Form.useForm<UnitForm>();
  const writes = useOrgWrites();
  // The parent may change to another unit of the level above, when the administrator sees it.
  const above = parentLevel(unit.level);
  const parents = units.filter((u) => u.level === above);
  const movable = !!unit.parent && parents.some((p) => p.code === unit.parent);
  return (
    <FormModal<UnitForm>
      title={t('org.editUnit', { name: unitLabel(unit, en) })} form={form} fields={unitFields} testId="unit-form"
      initialValues={{ code: unit.code, name: unit.name, name_en: unit.name_en, parent: unit.parent, number_prefix: unit.number_prefix }}
      onClose={onClose}
      onSave={async (v) => {
        const saved = await writes.unit.mutateAsync({ code: unit.code, body: unitBody({ ...v, parent: movable ? v.parent : unit.parent }, unit.level) });
        void notify('success', t('org.unitSaved', { name: unitLabel(saved, en) }));
      }}>
      <Form.Item name="code" label={t('org.code')}>
        <Input disabled />
      </Form.Item>
      <NameFields level={unit.level} />
      {movable && (
        <Form.Item name="parent" label={t('org.parent')} extra={t('org.parentHelp')}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={parents.map((p) => ({ value: p.code, label: unitLabel(p, en) }))} />
        </Form.Item>
      )}
    </FormModal>
  );
}

function AddUnit({ parent, units, onClose, onAdded }: { parent: OrgUnit; units: OrgUnit[]; onClose: () => void; onAdded: (code: string) => void }) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const [form] = Form.useForm<UnitForm>();
  const writes = useOrgWrites();
  const level = childLevel(parent.level)!;
  return (
    <FormModal<UnitForm>
      title={t('org.addChildOf', { parent: unitLabel(parent, en), level: t(`org.level.${level}`) })} form={form} fields={unitFields} testId="unit-form"
      onClose={onClose}
      onSave={async (v) => {
        const code = v.code.trim();
        const saved = await writes.unit.mutateAsync({ code, body: unitBody({ ...v, parent: parent.code }, level), add: true });
        void notify('success', t('org.unitSaved', { name: unitLabel(saved, en) }));
        onAdded(code);
      }}>
      <Form.Item name="code" label={t('org.code')} extra={t('org.codeHelp')}
        rules={[
          { required: true, whitespace: true, message: t('org.required', { field: t('org.code') }) },
          {
            // The server stores a unit under a code it knows as an edit of that unit: a new one needs a code of its own.
            validator: async (_, v: string | undefined) => {
              const taken = units.find((u) => u.code === v?.trim());
              if (taken) throw new Error(t('org.codeTaken', { code: taken.code, name: unitLabel(taken, en) }));
            },
          },
        ]}>
        <Input maxLength={64} />
      </Form.Item>
      <NameFields level={level} />
    </FormModal>
  );
}
