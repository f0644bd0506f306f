import './messages';
import { Alert, Flex, Skeleton, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useSession } from '../auth/session';
import { Danger, Heading, Muted } from '../components/text';
import { DepartmentsTab } from './DepartmentsTab';
import { countyScoped } from './org';
import { useAdminOrg } from './queries';
import { StaffTab } from './StaffTab';
import { UnitsTab } from './UnitsTab';

const tabs = ['units', 'departments', 'staff'] as const;

/**
 * OrgPage is 组织与人员: an administrator keeps the org tree, the departments and the staff of
 * their scope (a county's administrator their county, the city's every county).
 */
export function OrgPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const admin = session?.user.role === 'admin';
  const org = useAdminOrg(admin);
  const tab = tabs.find((k) => k === params.get('tab')) ?? 'units';
  if (!admin) return <Alert type="warning" showIcon title={t('org.title')} description={t('org.adminOnly')} />;
  return (
    <Flex vertical gap={12}>
      <Heading level={2}>{t('org.title')}</Heading>
      <Muted>{t('org.intro')}</Muted>
      {org.error && <Danger>{t('error.generic', { reason: org.error.message })}</Danger>}
      {org.isLoading ? (
        <Skeleton active />
      ) : org.data && (
        <Tabs activeKey={tab} onChange={(k) => setParams({ tab: k }, { replace: true })} destroyOnHidden
          items={[
            { key: 'units', label: t('org.tabs.units'), children: <UnitsTab units={org.data.units} /> },
            { key: 'departments', label: t('org.tabs.departments'), children: <DepartmentsTab departments={org.data.departments} readOnly={countyScoped(org.data.units)} /> },
            { key: 'staff', label: t('org.tabs.staff'), children: <StaffTab users={org.data.users} units={org.data.units} departments={org.data.departments} /> },
          ]} />
      )}
    </Flex>
  );
}
