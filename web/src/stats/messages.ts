import i18n from '../i18n';

// The statistics page's words, added when its chunk loads.
const zh = {
  stats: {
    title: '统计', period: '受理日期', from: '开始日期', to: '结束日期', unit: '受理单位（含下级）', allUnits: '全部单位',
    received: '受理', closed: '办结', accepted: '受理（含当场办结）', firstVisit: '首访首办', firstVisitRate: '首访首办率',
    mediated: '调解结案', mediationSucceeded: '调解成功', mediationSuccessRate: '调解成功率', escalated: '上报',
    overdue: '超期', overdueRate: '超期率', repeated: '重复访', groupMatters: '集体访', avgWorkdays: '平均办理工作日',
    weekly: '每周受理与办结', monthly: '每月受理与办结', rates: '首访首办率与调解成功率',
    byUnit: '各单位超期', byMatter: '按事项', byLevel: '按受理层级',
    week: '周（起）', month: '月份', unitCol: '单位', matter: '事项', level: '层级',
    chart: '图', table: '表', csv: '下载 CSV', loading: '正在统计…',
    chartLabel: '{{title}}图表，数据见表格', note: '按受理时间统计本人权限范围内的案件；口径见接口文档。',
  },
};

const en: typeof zh = {
  stats: {
    title: 'Statistics', period: 'Received', from: 'From', to: 'To', unit: 'Receiving unit (and below)', allUnits: 'All units',
    received: 'Received', closed: 'Closed', accepted: 'Accepted', firstVisit: 'First visit', firstVisitRate: 'First-visit rate',
    mediated: 'Mediated', mediationSucceeded: 'Mediation succeeded', mediationSuccessRate: 'Mediation success rate', escalated: 'Escalated',
    overdue: 'Overdue', overdueRate: 'Overdue rate', repeated: 'Repeated visits', groupMatters: 'Group matters', avgWorkdays: 'Avg. working days',
    weekly: 'Received and closed per week', monthly: 'Received and closed per month', rates: 'First-visit and mediation success rates',
    byUnit: 'Overdue by unit', byMatter: 'By matter', byLevel: 'By receiving level',
    week: 'Week (from)', month: 'Month', unitCol: 'Unit', matter: 'Matter', level: 'Level',
    chart: 'Chart', table: 'Table', csv: 'Download CSV', loading: 'Counting…',
    chartLabel: 'Chart of {{title}}; the table has its data', note: 'Cases received in the period within your scope; see the API docs for definitions.',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
