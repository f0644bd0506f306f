import { Alert, Button, Card, Layout, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { meWithToken, useAuthConfig } from '../api/queries';
import { Heading } from '../components/text';
import { signIn } from './session';

/**
 * SignInCallback is where the provider sends the browser back with the code: it exchanges the code
 * (with the PKCE verifier), asks GET /v1/me who the access token belongs to, and starts the session.
 */
export function SignInCallback() {
  const { t } = useTranslation();
  const config = useAuthConfig();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const oidc = config.data?.oidc;

  useEffect(() => {
    if (!oidc) return;
    let live = true;
    void (async () => {
      try {
        const { completeSignIn } = await import('./oidc');
        const tokens = await completeSignIn(oidc);
        let user;
        try {
          user = await meWithToken(tokens.accessToken);
        } catch (e) {
          throw new Error(t('signIn.notUser', { reason: e instanceof Error ? e.message : String(e) }));
        }
        if (!live) return;
        signIn({ token: tokens.accessToken, expiresAt: tokens.expiresAt, user, oidc: { ...oidc, idToken: tokens.idToken } });
        navigate(tokens.from, { replace: true });
      } catch (e) {
        if (live) setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      live = false;
    };
  }, [oidc, navigate, t]);

  const failed = error ?? (config.error ? config.error.message : config.data && !oidc ? t('signIn.none') : undefined);
  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', padding: '48px 16px' }}>
      <main style={{ width: '100%', maxWidth: 880 }}>
        <Card title={<Heading level={1}>{t('app.title')} · {t('signIn.title')}</Heading>}>
          {failed ? (
            <Alert
              type="error"
              showIcon
              title={t('signIn.failed', { reason: failed })}
              action={<Button onClick={() => navigate('/signin', { replace: true })}>{t('signIn.again')}</Button>}
            />
          ) : (
            <Spin description={t('signIn.completing')}>
              <div style={{ height: 80 }} />
            </Spin>
          )}
        </Card>
      </main>
    </Layout>
  );
}
