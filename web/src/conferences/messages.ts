import i18n from '../i18n';

// The conference page's words, added when its chunk loads.
const zh = {
  conf: {
    title: '会商研判', note: '对跨部门纠纷、群体性信访等案件召集会商：会商决定交由部门办理的事项成为案件的待办任务，按决定的期限计时；会商前可中止流程允许中止的环节的计时。',
    convene: '召集会商', hold: '记录会商结果', cancel: '取消会商', save: '保存', refused: '未能保存',
    at: '会商时间', topic: '议题', place: '地点', cases: '案件', casesHint: '输入案件编号，回车确认，可填多个', departments: '邀请部门',
    status: '状态', statuses: { scheduled: '待召开', held: '已召开', cancelled: '已取消' }, actions: '操作',
    stopClock: '会前中止计时（仅限流程允许中止的环节）', remind: '提前提醒（小时，0 为不提醒）',
    minutes: '会议纪要', attendance: '出席情况', attended: '出席', absent: '缺席', attendee: '出席人',
    decisions: '会商决定', addDecision: '添加决定', decisionCase: '案件', decisionDept: '承办部门', decisionTask: '办理事项',
    due: '期限', dueAmount: '期限数量', dueUnit: '期限单位', lead: '牵头', remove: '删除', dueAt: '到期',
    units: { workdays: '个工作日', days: '日', hours: '小时' }, handDown: '交办至',
    reason: '取消原因', none: '还没有会商', noDecisions: '没有决定', convened: '已召集会商“{{title}}”', held: '已记录会商“{{title}}”',
    cancelled: '已取消会商“{{title}}”', required: '必填',
  },
};

const en: typeof zh = {
  conf: {
    title: 'Case conferences', note: "Convene a conference on cases that span departments, group petitions and the like: each task decided for a department becomes a task of its case, due as decided; the cases' clocks may stop until then on the steps whose deadline may be suspended.",
    convene: 'Convene', hold: 'Record the outcome', cancel: 'Cancel', save: 'Save', refused: 'Not saved',
    at: 'When', topic: 'Topic', place: 'Place', cases: 'Cases', casesHint: 'Type a case number and press Enter; several allowed', departments: 'Departments invited',
    status: 'Status', statuses: { scheduled: 'Scheduled', held: 'Held', cancelled: 'Cancelled' }, actions: 'Actions',
    stopClock: 'Stop the clocks until then (where the procedure allows)', remind: 'Remind before (hours, 0 for none)',
    minutes: 'Minutes', attendance: 'Attendance', attended: 'Attended', absent: 'Absent', attendee: 'Who came',
    decisions: 'Decisions', addDecision: 'Add a decision', decisionCase: 'Case', decisionDept: 'Department', decisionTask: 'Task',
    due: 'Due in', dueAmount: 'Amount', dueUnit: 'Unit', lead: 'Leads', remove: 'Remove', dueAt: 'Due',
    units: { workdays: 'working days', days: 'days', hours: 'hours' }, handDown: 'Handed down to',
    reason: 'Why', none: 'No conference yet', noDecisions: 'No decisions', convened: 'Conference “{{title}}” convened', held: 'Conference “{{title}}” recorded',
    cancelled: 'Conference “{{title}}” cancelled', required: 'Required',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
