import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

// Every string a person reads is here, Chinese first. The language choice (not the token) is
// kept in localStorage so it survives a new session.
const zh = {
  app: { title: 'OneDoor 综治中心工作台', short: '综治中心' },
  nav: { queue: '我的待办', lists: '我的事项', register: '登记', grid: '网格上报', search: '案件查询', supervision: '督办看板', stats: '统计', assessment: '考评', conferences: '会商研判', court: '诉调对接', outbox: '发送记录', studio: '流程管理', overrides: '流程调整', calendar: '工作日历', org: '组织与人员' },
  top: { signOut: '退出', language: 'English', languageLabel: '切换语言', post: '岗位', allPosts: '全部{{count}}个岗位' },
  role: {
    clerk: '窗口受理员', supervisor: '督办员', department: '部门工作人员',
    admin: '管理员', auditor: '审计员', grid: '网格员',
  },
  matter: {
    petition: '信访', mediation: '人民调解', legal_aid: '法律援助', notarization: '公证', consultation: '法律咨询', grid_event: '网格事件',
  },
  level: { group: '社组', village: '嘎查村/社区', town: '苏木镇', banner: '旗综治中心', government: '旗委政府' },
  status: { open: '办理中', closed: '已办结' },
  signIn: {
    title: '登录工作台',
    devHint: '开发环境：选择一位演示用户，一键登录。',
    signInAs: '登录',
    name: '姓名', role: '角色', unit: '单位', action: '操作',
    noDev: '本服务器未开放演示登录，请通过单位统一身份认证登录。',
    failed: '登录失败：{{reason}}',
    oidc: '统一身份认证登录',
    oidcHint: '使用单位统一身份认证账号登录。',
    none: '本服务器未配置统一身份认证登录（ONEDOOR_OIDC_CLIENT_ID），请联系管理员。',
    completing: '正在完成登录…',
    notUser: '统一身份认证已通过，但尚未在本系统开通：{{reason}}。请联系管理员。',
    again: '重新登录',
  },
  queue: {
    title: '我的待办',
    count: '共 {{count}} 项待办',
    countLoading: '已载入 {{count}} 项待办，继续载入…',
    number: '案件编号', matter: '事项', subject: '事由', resident: '当事人', step: '当前环节',
    level: '层级', due: '到期时间', left: '剩余时间', claimedBy: '认领人', actions: '操作',
    claim: '认领', release: '释放', claimed: '已认领', released: '已释放',
    allMatters: '全部事项', overdueOnly: '只看逾期', refresh: '刷新',
    noDue: '无期限', empty: '没有待办任务',
    me: '我',
  },
  left: {
    // English has a singular (`_one`); Chinese does not, and never picks these.
    overdueDays_one: '逾期 {{count}} 个工作日',
    days_one: '剩 {{count}} 个工作日',
    overdueDays: '逾期 {{count}} 个工作日',
    overdueHours: '已逾期 {{count}} 小时',
    today: '今日到期（剩 {{count}} 小时）',
    days: '剩 {{count}} 个工作日',
    suspended: '已中止计时',
  },
  case: {
    title: '案件 {{number}}',
    number: '案件编号', matter: '事项', status: '状态', step: '当前环节', orgUnit: '承办单位',
    level: '层级', due: '到期时间', subject: '事由', resident: '当事人', receivedAt: '受理时间',
    overdue: '已逾期', back: '返回待办', notFound: '找不到这个案件，或您无权查看。',
  },
  soon: { title: '建设中', subTitle: '这个页面正在建设中，敬请期待。' },
  error: { generic: '出错了：{{reason}}', retry: '重试', network: '无法连接服务器' },
};

type Messages = typeof zh;

const en: Messages = {
  app: { title: 'OneDoor governance center workbench', short: 'Governance center' },
  nav: { queue: 'My tasks', lists: 'My matters', register: 'Register', grid: 'Grid report', search: 'Cases', supervision: 'Supervision', stats: 'Statistics', assessment: 'Assessment', conferences: 'Conferences', court: 'Court referrals', outbox: 'Outbox', studio: 'Procedures', overrides: 'Procedure changes', calendar: 'Calendar', org: 'Organisation' },
  top: { signOut: 'Sign out', language: '中文', languageLabel: 'Switch language', post: 'Post', allPosts: 'All {{count}} posts' },
  role: {
    clerk: 'Window clerk', supervisor: 'Supervisor', department: 'Department staff',
    admin: 'Administrator', auditor: 'Auditor', grid: 'Grid worker',
  },
  matter: {
    petition: 'Petition', mediation: 'Mediation', legal_aid: 'Legal aid', notarization: 'Notarization',
    consultation: 'Legal consultation', grid_event: 'Grid event',
  },
  level: { group: 'Group', village: 'Village', town: 'Town', banner: 'Banner center', government: 'Banner government' },
  status: { open: 'Open', closed: 'Closed' },
  signIn: {
    title: 'Sign in to the workbench',
    devHint: 'Development center: pick a demo user to sign in with one click.',
    signInAs: 'Sign in',
    name: 'Name', role: 'Role', unit: 'Unit', action: 'Action',
    noDev: 'This server offers no demo sign-in; sign in through your organisation.',
    failed: 'Sign-in failed: {{reason}}',
    oidc: 'Sign in with your organisation',
    oidcHint: "Use your organisation's single sign-on account.",
    none: 'This server has no sign-in configured (ONEDOOR_OIDC_CLIENT_ID); ask your administrator.',
    completing: 'Completing sign-in…',
    notUser: 'Your organisation signed you in, but you have no account here: {{reason}}. Ask your administrator.',
    again: 'Sign in again',
  },
  queue: {
    title: 'My tasks',
    count: '{{count}} open tasks',
    countLoading: '{{count}} open tasks loaded, loading more…',
    number: 'Case', matter: 'Matter', subject: 'Subject', resident: 'Resident', step: 'Step',
    level: 'Level', due: 'Due', left: 'Time left', claimedBy: 'Claimed by', actions: 'Actions',
    claim: 'Claim', release: 'Release', claimed: 'Claimed', released: 'Released',
    allMatters: 'All matters', overdueOnly: 'Overdue only', refresh: 'Refresh',
    noDue: 'No deadline', empty: 'No open tasks',
    me: 'me',
  },
  left: {
    overdueDays_one: '{{count}} working day overdue',
    days_one: '{{count}} working day left',
    overdueDays: '{{count}} working days overdue',
    overdueHours: '{{count}} h overdue',
    today: 'Due today ({{count}} h left)',
    days: '{{count}} working days left',
    suspended: 'Clock suspended',
  },
  case: {
    title: 'Case {{number}}',
    number: 'Case number', matter: 'Matter', status: 'Status', step: 'Current step', orgUnit: 'Org unit',
    level: 'Level', due: 'Due', subject: 'Subject', resident: 'Resident', receivedAt: 'Received',
    overdue: 'Overdue', back: 'Back to my tasks', notFound: 'No such case, or you may not see it.',
  },
  soon: { title: 'Under construction', subTitle: 'This page is being built.' },
  error: { generic: 'Something went wrong: {{reason}}', retry: 'Retry', network: 'Cannot reach the server' },
};

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

const LANG_KEY = 'onedoor.lang';

function savedLanguage(): Language {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zh }, en: { translation: en } },
  lng: savedLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false }, // React escapes
});

export function setLanguage(lang: Language): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // private mode: the choice lasts this page only
  }
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

document.documentElement.lang = i18n.language;

export default i18n;
