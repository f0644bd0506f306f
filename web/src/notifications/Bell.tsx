import './messages';
import { BellOutlined } from '@ant-design/icons';
import { Button, theme } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../auth/session';
import { Muted } from '../components/text';
import { markSeen, unread, useFeed } from './store';

// The bell is in the top bar of every page, so it is drawn by hand (no antd Badge, Popover or
// List): every kilobyte here is in the first page's budget.

const kindColours: Record<string, string> = { overdue: '#cf1322', warning: '#ad4e00', supervision: '#0958d9', escalated: '#531dab' };

/**
 * Bell shows the count of unread notifications, kept live by the event stream (or by polling
 * when the stream does not get through), and on a click the newest ones, each linking to its
 * case; opening it marks them read.
 */
export function Bell() {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const feed = useFeed();
  const { token: design } = theme.useToken();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const token = session?.token;
  const post = session?.post;
  // A user of several posts reads the notices of the post chosen (all posts': the first's).
  const user = session && (post ? `${session.user.id}/${post}` : session.user.id);

  useEffect(() => {
    if (!token || !user) return undefined;
    // The feed's code (event stream, polling) loads after the first page is drawn.
    let stop: (() => void) | undefined;
    let live = true;
    void import('./start').then(({ startFeed }) => {
      if (live) stop = startFeed(token, user, qc, post);
    });
    return () => {
      live = false;
      stop?.();
    };
  }, [token, user, qc, post]);

  // Seen while shown, what arrives while it is open included.
  useEffect(() => {
    if (open && user) markSeen(user);
  }, [open, user, feed.items]);

  // Closed by Escape or a click elsewhere.
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);

  const count = unread(feed);
  const shown = feed.items.slice(0, 20);
  return (
    <div ref={box} style={{ position: 'relative' }}>
      <Button
        type="text"
        data-testid="bell"
        data-count={count}
        data-mode={feed.mode}
        aria-label={count ? t('bell.unread', { count }) : t('bell.label')}
        aria-expanded={open}
        aria-controls="bell-list"
        onClick={() => setOpen((o) => !o)}
        icon={<BellOutlined style={{ fontSize: 18 }} />}
      >
        {count > 0 && (
          <span
            aria-hidden
            data-testid="bell-count"
            style={{
              position: 'absolute', top: -2, right: -4, minWidth: 18, height: 18, padding: '0 5px', borderRadius: 9,
              background: '#cf1322', color: '#fff', fontSize: 12, lineHeight: '18px', fontWeight: 600,
            }}
          >
            {count > 99 ? '99+' : count}
          </span>
        )}
      </Button>
      {open && (
        <div
          id="bell-list"
          role="dialog"
          aria-label={t('bell.title')}
          data-testid="bell-list"
          style={{
            position: 'absolute', right: 0, top: '100%', marginTop: 8, zIndex: 1050, width: 380, maxWidth: 'calc(100vw - 32px)',
            background: design.colorBgElevated, borderRadius: design.borderRadiusLG, boxShadow: design.boxShadowSecondary,
            padding: '12px 16px', lineHeight: 1.5,
          }}
        >
          <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, marginBottom: 8 }}>
            <strong>{t('bell.title')}</strong>
            <Muted>{t(`bell.${feed.mode}`)}</Muted>
          </div>
          {shown.length === 0 ? (
            <Muted>{t('bell.empty')}</Muted>
          ) : (
            <ul style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: 400, overflowY: 'auto' }}>
              {shown.map((x) => (
                <li key={x.id} data-testid="bell-item" style={{ padding: '6px 0', borderTop: `1px solid ${design.colorSplit}` }}>
                  <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                    <span
                      style={{
                        color: '#fff', background: kindColours[x.kind] ?? '#595959', borderRadius: 4, padding: '0 6px',
                        fontSize: 12, whiteSpace: 'nowrap', minWidth: 64, textAlign: 'center',
                      }}
                    >
                      {t(`notice.${x.kind}`, { defaultValue: x.kind })}
                    </span>
                    <Link to={`/cases/${x.case_id}`} onClick={() => setOpen(false)}>
                      {x.case_number}
                    </Link>
                    <Muted style={{ marginLeft: 'auto', whiteSpace: 'nowrap' }}>{dayjs(x.at).format('MM-DD HH:mm')}</Muted>
                  </div>
                  {/* A supervisor's urge carries their own words; the system's notices are said by the kind. */}
                  {x.sender && (
                    <div>
                      {x.message} <Muted>— {x.sender}</Muted>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
