import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useColleagues } from '../api/org';
import { personName, postKey, postName } from './names';

interface Props {
  /** The case the people are named on: they are of its county. */
  kase?: string;
  multiple?: boolean;
  value?: string | string[];
  onChange?: (v: string | string[]) => void;
  id?: string;
  'data-testid'?: string;
}

/**
 * UserPicker picks colleagues by a part of their name or id, searched by the server
 * (GET /v1/org/users), each shown with their post: 嘎鲁图镇受理员（clerk-galutu）· 窗口受理员 · 嘎鲁图镇.
 */
export function UserPicker({ kase, multiple, value, onChange, id, ...rest }: Props) {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState('');
  const found = useColleagues(q, kase);
  const names = found.data?.names;
  const options = (found.data?.users ?? []).map((u) => ({
    value: u.id,
    label: `${personName(u.name, i18n.language)}（${u.id}）· ${postName(t, postKey(u), names, i18n.language)}`,
  }));
  return (
    <Select
      id={id}
      mode={multiple ? 'multiple' : undefined}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={found.isFetching}
      notFoundContent={found.isFetching ? t('form.searching') : t('form.noColleague')}
      options={options}
      data-testid={rest['data-testid']}
      allowClear
    />
  );
}
