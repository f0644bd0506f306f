import i18n from '../i18n';

// The bell's words, beside it in the top bar.
const zh = {
  bell: {
    label: '通知', unread: '通知，{{count}} 条未读', title: '最近通知', empty: '暂无通知',
    live: '实时', polling: '推送中断，定时刷新', connecting: '连接中', stopped: '已停止',
  },
  notice: {
    warning: '即将到期', overdue: '已逾期', escalated: '已上报', supervision: '督办', rule_failed: '规则失败',
    not_accepted: '不予受理', withdrawn: '已撤回', sent_back: '已退回', delegated: '委派', delegate_result: '委派结果',
    delegation_recalled: '委派已收回', reassigned: '转办', copied: '抄送', conference: '会商研判',
  },
};
const en: typeof zh = {
  bell: {
    label: 'Notifications', unread: 'Notifications, {{count}} unread', title: 'Recent notifications', empty: 'No notifications',
    live: 'Live', polling: 'Stream interrupted: polling', connecting: 'Connecting', stopped: 'Stopped',
  },
  notice: {
    warning: 'Due soon', overdue: 'Overdue', escalated: 'Escalated', supervision: 'Supervision', rule_failed: 'Rule failed',
    not_accepted: 'Not accepted', withdrawn: 'Withdrawn', sent_back: 'Sent back', delegated: 'Delegated',
    delegate_result: 'Delegate result', delegation_recalled: 'Delegation taken back', reassigned: 'Reassigned', copied: 'Copied', conference: 'Case conference',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
