import {
  ApartmentOutlined, BarChartOutlined, FileAddOutlined, InboxOutlined, ProfileOutlined, LogoutOutlined, SearchOutlined, TranslationOutlined,
  AimOutlined, AlertOutlined, BankOutlined, CalendarOutlined, MessageOutlined, SlidersOutlined, TrophyOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, Space, Tag, theme } from 'antd';
import { Heading, Muted } from './text';
import { useTranslation } from 'react-i18next';
import { Suspense } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { setLanguage } from '../i18n';
import { signOutEverywhere, useSession } from '../auth/session';
import { personName, roleName, unitName } from './names';
import { PostSwitcher } from './PostSwitcher';
import { Bell } from '../notifications/Bell';

const { Header, Sider, Content } = Layout;

const pages = [
  { key: '/queue', icon: <InboxOutlined />, label: 'nav.queue' },
  { key: '/tasks', icon: <ProfileOutlined />, label: 'nav.lists' },
  { key: '/grid', icon: <AimOutlined />, label: 'nav.grid', roles: ['grid'] },
  { key: '/register', icon: <FileAddOutlined />, label: 'nav.register' },
  { key: '/cases', icon: <SearchOutlined />, label: 'nav.search' },
  { key: '/supervision', icon: <AlertOutlined />, label: 'nav.supervision' },
  { key: '/stats', icon: <BarChartOutlined />, label: 'nav.stats' },
  { key: '/assessment', icon: <TrophyOutlined />, label: 'nav.assessment', roles: ['admin', 'supervisor', 'auditor'] },
  { key: '/conferences', icon: <ApartmentOutlined />, label: 'nav.conferences', roles: ['supervisor', 'auditor'] },
  { key: '/court', icon: <BankOutlined />, label: 'nav.court', roles: ['admin', 'supervisor', 'clerk', 'auditor'] },
  { key: '/outbox', icon: <MessageOutlined />, label: 'nav.outbox', roles: ['admin', 'supervisor'] },
  { key: '/studio', icon: <ApartmentOutlined />, label: 'nav.studio', admin: true },
  { key: '/overrides', icon: <SlidersOutlined />, label: 'nav.overrides', roles: ['admin', 'auditor'] },
  { key: '/calendar', icon: <CalendarOutlined />, label: 'nav.calendar', roles: ['admin'] },
  { key: '/org', icon: <ApartmentOutlined />, label: 'nav.org', roles: ['admin'] },
] as const;

/** Shell is the frame of every signed-in page: the side menu and the top bar saying who you are. */
export function Shell() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { token } = theme.useToken();
  // The migration page is the studio's.
  const path = location.pathname.replace(/^\/migrations/, '/studio');
  const selected = pages.find((p) => path.startsWith(p.key))?.key ?? '/queue';
  const user = session?.user;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider breakpoint="lg" collapsedWidth={64} width={184} theme="dark">
        <div style={{ color: '#fff', padding: '16px 20px', fontSize: 16, fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          OneDoor
        </div>
        <nav aria-label={t('app.short')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[selected]}
            items={pages
              .filter((p) => !('admin' in p) || user?.role === 'admin')
              .filter((p) => !('roles' in p) || (p.roles as readonly string[]).includes(user?.role ?? ''))
              .map((p) => ({ key: p.key, icon: p.icon, label: t(p.label) }))}
            onClick={({ key }) => navigate(key)}
          />
        </nav>
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer, padding: '0 24px', display: 'flex', alignItems: 'center',
            justifyContent: 'space-between', borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <span className="od-wide">
            <Heading level={1} style={{ whiteSpace: 'nowrap' }}>
              {t('app.title')}
            </Heading>
          </span>
          <Space size="middle">
            {user && (
              <Space size="small" data-testid="whoami">
                <strong className="od-wide">{personName(user.name, i18n.language)}</strong>
                {user.posts && user.posts.length > 0 ? (
                  <PostSwitcher user={user} chosen={session.post} />
                ) : (
                  <>
                    <Tag color="blue" variant="outlined">{roleName(t, user.role)}</Tag>
                    <span className="od-wide"><Muted>{unitName(user, i18n.language)}</Muted></span>
                  </>
                )}
              </Space>
            )}
            <Bell />
            <Button
              icon={<TranslationOutlined />}
              title={t('top.languageLabel')}
              aria-label={t('top.language')}
              lang={i18n.language.startsWith('zh') ? 'en' : 'zh-CN'}
              onClick={() => setLanguage(i18n.language.startsWith('zh') ? 'en' : 'zh-CN')}
            >
              <span className="od-wide">{t('top.language')}</span>
            </Button>
            <Button
              icon={<LogoutOutlined />}
              aria-label={t('top.signOut')}
              onClick={() => {
                qc.clear();
                void signOutEverywhere().then((leaving) => leaving || navigate('/signin'));
              }}
            >
              <span className="od-wide">{t('top.signOut')}</span>
            </Button>
          </Space>
        </Header>
        <Content style={{ margin: 16 }}>
          <main style={{ background: token.colorBgContainer, padding: 16, borderRadius: token.borderRadiusLG, minHeight: 'calc(100vh - 96px)' }}>
            {/* The page's code loads under the shell already drawn. */}
            <Suspense fallback={null}>
              <Outlet />
            </Suspense>
          </main>
        </Content>
      </Layout>
    </Layout>
  );
}
