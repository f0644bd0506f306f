import i18n from '../i18n';

// The search page's words, added when its chunk loads.
const zh = {
  search: {
    title: '案件查询', q: '案件编号、事由、当事人或事实', qLabel: '关键词', find: '查询', reset: '清空条件',
    matter: '事项', status: '状态', level: '所在层级', unit: '承办单位（含下级）', received: '受理日期',
    from: '开始日期', to: '结束日期',
    overdue: '逾期', overdueYes: '已逾期', overdueNo: '未逾期', mine: '我发起的', any: '不限',
    number: '案件编号', subject: '事由', resident: '当事人', step: '当前环节', orgUnit: '承办单位',
    receivedAt: '受理时间', dueAt: '到期时间', shown: '已显示 {{count}} 件', more: '加载更多', end: '已全部显示',
    empty: '没有符合条件的案件', export: '导出 CSV', exported: '已导出', exportName: '案件查询',
    closedStep: '已办结',
  },
};

const en: typeof zh = {
  search: {
    title: 'Cases', q: 'Case number, subject, resident or facts', qLabel: 'Text', find: 'Search', reset: 'Clear filters',
    matter: 'Matter', status: 'Status', level: 'Level', unit: 'Unit (and below)', received: 'Received',
    from: 'From', to: 'To',
    overdue: 'Overdue', overdueYes: 'Overdue', overdueNo: 'Not overdue', mine: 'Registered by me', any: 'Any',
    number: 'Case', subject: 'Subject', resident: 'Resident', step: 'Step', orgUnit: 'Unit',
    receivedAt: 'Received', dueAt: 'Due', shown: '{{count}} shown', more: 'Load more', end: 'All shown',
    empty: 'No case matches', export: 'Export CSV', exported: 'Exported', exportName: 'cases',
    closedStep: 'Closed',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
