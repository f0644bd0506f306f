import { LoginOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Layout, Spin, Tag, theme } from 'antd';
import { Heading, Muted } from '../components/text';
import { notify } from '../components/notify';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { devToken, useAuthConfig, useDevUsers, type Profile } from '../api/queries';
import { personName, roleName, unitName } from '../components/names';
import { setLanguage } from '../i18n';
import { signIn, useSession } from './session';

/**
 * SignInPage signs in the way the center says (GET /v1/auth/config): one button to the
 * organisation's OpenID Connect provider, and in `onedoor dev` the demo users, each one click.
 */
export function SignInPage() {
  const { t, i18n } = useTranslation();
  const config = useAuthConfig();
  const users = useDevUsers(config.data?.mode === 'dev');
  const oidc = config.data?.oidc;
  const [leaving, setLeaving] = useState(false);
  const session = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/queue';
  const [busy, setBusy] = useState<string>();
  const { token } = theme.useToken();

  if (session) return <Navigate to={from} replace />;

  const go = async (u: Profile) => {
    setBusy(u.id);
    try {
      const r = await devToken(u.id);
      signIn({ token: r.token, expiresAt: r.expires_at, user: r.user });
      navigate(from, { replace: true });
    } catch (e) {
      void notify('error', t('signIn.failed', { reason: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(undefined);
    }
  };

  const provider = async () => {
    if (!oidc) return;
    setLeaving(true);
    try {
      // oidc-client-ts loads only now, in a chunk of its own.
      const { startSignIn } = await import('./oidc');
      await startSignIn(oidc, from); // the browser leaves for the provider
    } catch (e) {
      setLeaving(false);
      void notify('error', t('signIn.failed', { reason: e instanceof Error ? e.message : String(e) }));
    }
  };

  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', padding: '48px 16px' }}>
      <main style={{ width: '100%', maxWidth: 880 }}>
        <Card
          title={<Heading level={1}>{t('app.title')} · {t('signIn.title')}</Heading>}
          extra={
            <Button
              onClick={() => setLanguage(i18n.language.startsWith('zh') ? 'en' : 'zh-CN')}
              title={t('top.languageLabel')}
              lang={i18n.language.startsWith('zh') ? 'en' : 'zh-CN'}
            >
              {t('top.language')}
            </Button>
          }
        >
          {oidc && (
            <Flex vertical align="center" gap={12} style={{ padding: '24px 0' }}>
              <Button type="primary" size="large" icon={<SafetyCertificateOutlined />} loading={leaving} onClick={() => void provider()}>
                {t('signIn.oidc')}
              </Button>
              <Muted>{t('signIn.oidcHint')}</Muted>
            </Flex>
          )}
          {config.data?.mode === 'none' && <Alert type="warning" showIcon title={t('signIn.none')} />}
          {config.isLoading && <Spin />}
          {config.data?.mode !== 'dev' ? null : users.data === null ? (
            <Alert type="info" showIcon title={t('signIn.noDev')} />
          ) : (
            <>
              <p><Muted>{t('signIn.devHint')}</Muted></p>
              <ul aria-label={t('signIn.title')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                {(users.data ?? []).map((u) => (
                  <li key={u.id}>
                    {/* On a phone (a grid worker's) the row wraps: the name and role, then the unit and the button. */}
                    <Flex align="center" gap={12} wrap style={{ padding: '10px 4px', borderBottom: `1px solid ${token.colorBorderSecondary}` }}>
                      <strong style={{ flex: '0 1 200px' }}>{personName(u.name, i18n.language)}</strong>
                      <Tag color="blue" style={{ minWidth: 96, textAlign: 'center' }}>{roleName(t, u.role)}</Tag>
                      <Muted style={{ flex: '1 1 120px' }}>{unitName(u, i18n.language)}</Muted>
                      <Button
                        type="primary"
                        icon={<LoginOutlined />}
                        loading={busy === u.id}
                        onClick={() => void go(u)}
                        data-testid={`signin-${u.id}`}
                        aria-label={`${t('signIn.signInAs')} ${personName(u.name, i18n.language)}`}
                      >
                        {t('signIn.signInAs')}
                      </Button>
                    </Flex>
                  </li>
                ))}
              </ul>
              {users.isLoading && <Spin />}
            </>
          )}
          {config.error && <Alert type="error" showIcon title={t('error.generic', { reason: config.error.message })} />}
          {users.error && <Alert type="error" showIcon title={t('error.generic', { reason: users.error.message })} />}
        </Card>
      </main>
    </Layout>
  );
}
