import i18n from '../i18n';

// The board's words, added when its chunk loads.
const zh = {
  board: {
    title: '督办看板',
    forbidden: '督办看板供督办员、管理员和审计员使用；您的待办在“我的待办”中。',
    overdue: '逾期任务', dueSoon: '临期任务', within: '{{hours}} 小时内到期', withinDays: '{{days}} 天内到期',
    count: '共 {{count}} 项', listed: '列出 {{shown}} 项，共 {{count}} 项',
    unitCount: '涉及单位 {{count}} 个',
    allUnits: '全部承办单位', unitLabel: '按承办单位筛选', windowLabel: '临期范围', departmentTasks: '部门任务',
    own: '本级承办', refresh: '刷新', updated: '更新于 {{time}}',
    number: '案件编号', matter: '事项', subject: '事由', step: '环节', holder: '承办单位/部门', due: '到期时间',
    late: '逾期', left: '剩余时间', actions: '督办操作',
    urge: '催办', urgeSelected: '催办所选（{{count}}）', supervise: '督办', extend: '延期', chain: '流转层级',
    noneOverdue: '没有逾期任务', noneDueSoon: '没有临期任务',
    notOffered: '您对案件 {{number}} 当前不能{{action}}。',
    urgeTitle_one: '催办 {{count}} 件案件', urgeTitle: '催办 {{count}} 件案件', urgeMessage: '催办内容', urgeDefault: '请抓紧办理，按期办结并及时反馈。',
    urgeRequired: '请填写催办内容', urgeSend: '发送催办', urgeDone_one: '已催办 {{count}} 件案件', urgeDone: '已催办 {{count}} 件案件',
    urgeNotified: '已通知：{{units}}', urgeSkipped: '未催办：{{reason}}', urgeRefused: '以下案件未能催办',
    selectCase: '选择案件 {{number}}',
    chainTitle: '案件流转层级', escalations: '上报 {{count}} 次', stayed: '一直在本级办理', now: '当前',
    arrived: '{{time}} 到达', left2: '{{time}} 离开', loadFailed: '加载失败：{{reason}}',
  },
};

const en: typeof zh = {
  board: {
    title: 'Supervision board',
    forbidden: 'The supervision board is for supervisors, administrators and auditors; your tasks are under My tasks.',
    overdue: 'Overdue tasks', dueSoon: 'Due soon', within: 'due within {{hours}} hours', withinDays: 'due within {{days}} days',
    count: '{{count}} in all', listed: '{{shown}} of {{count}} listed',
    unitCount: '{{count}} org units',
    allUnits: 'All org units', unitLabel: 'Filter by org unit', windowLabel: 'Due-soon window', departmentTasks: 'Department tasks',
    own: 'Held by the unit', refresh: 'Refresh', updated: 'Updated {{time}}',
    number: 'Case number', matter: 'Matter', subject: 'Subject', step: 'Step', holder: 'Unit / department', due: 'Due',
    late: 'Overdue by', left: 'Time left', actions: 'Actions',
    urge: 'Urge', urgeSelected: 'Urge selected ({{count}})', supervise: 'Supervise', extend: 'Extend', chain: 'Levels',
    noneOverdue: 'No overdue tasks', noneDueSoon: 'Nothing due soon',
    notOffered: '{{action}}: not open to you on case {{number}} now.',
    urgeTitle_one: 'Urge {{count}} case', urgeTitle: 'Urge {{count}} cases', urgeMessage: 'Message', urgeDefault: 'Please act on this case and report back in time.',
    urgeRequired: 'Please write the message', urgeSend: 'Send', urgeDone_one: '{{count}} case urged', urgeDone: '{{count}} cases urged',
    urgeNotified: 'Notified: {{units}}', urgeSkipped: 'Not urged: {{reason}}', urgeRefused: 'These cases could not be urged',
    selectCase: 'Select case {{number}}',
    chainTitle: 'Levels the case went through', escalations: 'escalated {{count}} times', stayed: 'handled at one level so far', now: 'now',
    arrived: 'arrived {{time}}', left2: 'left {{time}}', loadFailed: 'Could not load: {{reason}}',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
