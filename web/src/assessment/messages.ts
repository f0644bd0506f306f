import i18n from '../i18n';

// The assessment page's words, added when its chunk loads.
const zh = {
  assessment: {
    title: '考评', period: '办结日期', from: '开始日期', to: '结束日期', unit: '单位（含下级）', allUnits: '全部单位',
    note: '按期间内办结的任务统计本人权限范围内各单位本级与派驻部门的办理情况；当前逾期不限期间。口径见接口文档。',
    holder: '单位 / 部门', kind: '类别', own: '本级', stationed: '派驻 {{unit}}',
    handled: '办结任务', onTime: '按时', late: '超时', onTimeRate: '按时率', escalated: '上报', reviewed: '被申请复查',
    overdueOpen: '当前逾期', evaluations: '评价', satisfaction: '满意度', findings: '查究',
    total: '合计', xlsx: '下载 Excel', downloaded: '已下载考评表', empty: '期间内没有办结的任务',
  },
};

const en: typeof zh = {
  assessment: {
    title: 'Assessment', period: 'Finished', from: 'From', to: 'To', unit: 'Unit (and below)', allUnits: 'All units',
    note: 'Tasks finished in the period, per unit (its own staff) and per stationed department within your scope; overdue now is whatever the period. See the API docs for definitions.',
    holder: 'Unit / department', kind: 'Kind', own: 'Own staff', stationed: 'Stationed at {{unit}}',
    handled: 'Finished', onTime: 'On time', late: 'Late', onTimeRate: 'On-time rate', escalated: 'Passed up', reviewed: 'Review requested',
    overdueOpen: 'Overdue now', evaluations: 'Evaluations', satisfaction: 'Satisfaction', findings: 'Findings',
    total: 'Total', xlsx: 'Download Excel', downloaded: 'Assessment downloaded', empty: 'No task finished in the period',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
