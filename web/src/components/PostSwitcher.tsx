import { Select } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Profile } from '../api/queries';
import { choosePost } from '../auth/session';
import { postKey, postName, profileNames } from './names';

/**
 * PostSwitcher lets a user of several posts (a village secretary who is also the mediation
 * committee's clerk, a bureau's staff who sits at a town's window) work in one of them, or in
 * all at once: the queue then holds every post's tasks, each saying its post. The choice goes
 * with every request (OneDoor-Post) until the tab is closed or another is chosen.
 */
export function PostSwitcher({ user, chosen }: { user: Profile; chosen: string | undefined }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const first = { role: user.role, org_unit: user.org_unit, department: user.department };
  const names = profileNames(user);
  const options = [
    { value: '', label: t('top.allPosts', { count: 1 + (user.posts?.length ?? 0) }) },
    ...[first, ...(user.posts ?? [])].map((p) => ({ value: postKey(p), label: postName(t, postKey(p), names, i18n.language) })),
  ];
  return (
    <Select
      data-testid="posts"
      aria-label={t('top.post')}
      size="small"
      popupMatchSelectWidth={false}
      style={{ minWidth: 160 }}
      value={chosen ?? ''}
      options={options}
      onChange={(v: string) => {
        choosePost(v || undefined);
        // Every list answers for the post chosen now.
        void qc.invalidateQueries();
      }}
    />
  );
}
