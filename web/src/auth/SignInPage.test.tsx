import '../test-setup';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter } from 'react-router';
import i18n from '../i18n';
import { SignInPage } from './SignInPage';

// The API client keeps the fetch it was made with: the center's answers are put behind it first.
const center = vi.hoisted(() => {
  const c = { answers: {} as Record<string, unknown>, asked: [] as string[] };
  globalThis.fetch = async (input: RequestInfo | URL) => {
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
    c.asked.push(path);
    if (!(path in c.answers)) return new Response('404 page not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    return new Response(JSON.stringify(c.answers[path]), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  return c;
});

// What GET /v1/auth/config says decides what the page offers.
function serve(answers: Record<string, unknown>): string[] {
  center.answers = answers;
  center.asked = [];
  return center.asked;
}

function page() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={['/signin']}>
        <SignInPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

afterEach(cleanup);

describe('SignInPage', () => {
  it('in production offers the organisation sign-in alone, and never asks for demo users', async () => {
    await i18n.changeLanguage('zh-CN');
    const asked = serve({
      '/v1/auth/config': { mode: 'oidc', oidc: { issuer: 'https://sso.example.gov.cn/realms/onedoor', client_id: 'onedoor-workbench', scope: 'openid profile' } },
    });
    page();
    expect(await screen.findByRole('button', { name: /统一身份认证登录/ })).toBeTruthy();
    expect(screen.queryByText(/开发环境/)).toBeNull();
    expect(screen.queryByText(/未开放演示登录/)).toBeNull();
    expect(asked).not.toContain('/v1/dev/users');
  });

  it('says so when the center names no client id', async () => {
    await i18n.changeLanguage('zh-CN');
    serve({ '/v1/auth/config': { mode: 'none' } });
    page();
    expect(await screen.findByText(/未配置统一身份认证登录/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /统一身份认证登录/ })).toBeNull();
  });

  it('in development lists the demo users, without the organisation button when no provider is set', async () => {
    await i18n.changeLanguage('zh-CN');
    serve({
      '/v1/auth/config': { mode: 'dev' },
      '/v1/dev/users': { users: [{ id: 'clerk-sarula', name: '萨如拉社区调解员 Sarula community clerk', role: 'clerk', org_unit: 'galutu-v01', org_unit_name: '萨如拉社区' }] },
    });
    page();
    expect(await screen.findByText('萨如拉社区调解员')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /统一身份认证登录/ })).toBeNull();
  });
});
