import i18n from '../i18n';

// The case page's words, added to the app's messages when the page's chunk loads, so that the
// first page does not carry them.
const zh = {
  case: {
    registeredAt: '登记时间', holder: '承办', channel: '来源渠道', visits: '来访 {{count}} 次（重复访）', conferenceWaiting: '待会商研判：「{{title}}」定于 {{at}} 在{{place}}召开', conferenceClock: '会商前中止计时（仅限流程允许中止的环节）', groupOthers: '及 {{names}}（集体访，共 {{count}} 人）', addResident: '增加信访人', addResidentTitle: '增加一同反映的信访人（集体访）', addResidentOk: '增加', addResidentRefused: '未能增加', residentName: '姓名', residentId: '身份证号', residentPhone: '电话', residentNumbers: '身份证号和电话至少填一项：再次来访时凭此查到本案', residentNote: '说明', residentAdded: '已增加信访人{{name}}（共 {{count}} 人）', required: '必填', outcome: '办理结果',
    tasks: '当前任务', noTasks: '没有待办任务', task: '环节', dueAt: '到期时间', held: '承办单位/部门', delegatedTo: '已委派给 {{user}}',
    why: '期限说明', whyTitle: '到期时间是怎样算的', counted: '计入的日子', skipped: '不计入的日子',
    moved: '调休上班日', suspensions: '中止计时', notes: '说明', basis: '依据',
    suspended: '已中止计时', claimedBy: '认领人', delegate: '委派给',
    clocks: '法定期限', clock: '期限', period: '时长', startedAt: '起算时间', stoppedAt: '停止时间',
    running: '计时中', stopped: '已停止', onTime: '未逾期', extensions: '已延期 {{count}} 次',
    timeline: '办理记录', noTimeline: '暂无记录', actor: '操作人',
    paper: '{{name}}（{{type}}，{{size}} 字节）SHA-256 {{sha}}…', paperReplaces: '替换 {{paper}}',
    actions: '可办理的操作', noActions: '您对本案当前没有可办理的操作。', ratingLink: '评价链接', ratingLinkTitle: '请群众扫码评价', ratingLinkQR: '评价链接的二维码', ratingLinkNote: '链接只能使用一次，{{until}} 前有效；这里只显示这一次，再次生成后旧链接失效。',
    loadFailed: '加载失败：{{reason}}',
    diagram: '流程图', diagramShow: '展开', diagramHide: '收起',
    findings: '查究记录', foundAt: '查究时间', foundOn: '查究事项', foundOrder: '督办 {{id}} 逾期未答复', responsible: '责任单位或部门', cause: '原因', measure: '处理措施',
    orders: '督办记录', orderedAt: '督办时间', orderedTo: '督办对象', reason: '督办事由', replyBy: '答复期限',
    reply: '答复', replyWaiting: '待答复', replyOverdue: '逾期未答复', repliedLate: '逾期答复',
  },
  unit: { workdays: '个工作日', days: '天', hours: '小时', minutes: '分钟' },
  channel: { visit: '来访', letter: '来信', phone: '来电', online: '网上', grid: '网格上报' },
  action: {
    register: '登记', complete: '办理', escalate: '上报', hand_down: '交办', return: '退回上级', transfer: '转送',
    divert: '分流', report: '报告', acknowledge: '报到', suspend: '中止计时', resume: '恢复计时', extend: '延期',
    supervise: '督办', reply: '答复督办', note: '备注', close: '办结', evaluate: '评价', request_review: '申请复查',
    withdraw: '撤回', send_back: '退回', delegate: '委派', delegate_result: '委派结果', recall: '收回委派', reassign: '转办', copy: '抄送', find: '查究', visit: '重复访',
    claim: '认领', release: '释放', overdue: '逾期', warn: '临期提醒', auto_escalate: '自动上报', urge: '催办',
    deadline_warning: '临期提醒', deadline_overdue: '逾期', supervision_overdue: '督办逾期未答复', rule_failed: '规则执行失败',
    not_accepted: '不予受理', link: '关联案件', attach: '添加附件', detach: '删除附件', conference: '会商研判', conference_reminder: '会商提醒', join: '集体访',
  },
  form: {
    outcome: '办理结果', target: '交办给', departments: '分流部门', step: '退回到环节', order: '督办单',
    user: '用户编号', extension: '时长', replyWithin: '答复期限', rating: '满意度', result: '办理情况', reason: '原因',
    reasonNote: '备注内容', findOn: '查究事项', findTask: '逾期任务「{{step}}」（{{holder}}）', findOrder: '逾期未答复的督办：{{reason}}', responsible: '责任单位或部门', cause: '原因', measure: '处理措施', unitsGroup: '单位', departmentsGroup: '部门', submit: '确定', cancel: '取消', required: '请填写{{field}}', pick: '请选择{{field}}',
    refused: '操作未被接受：{{reason}}', done: '已{{action}}', next: '下一环节：{{next}}', end: '办结',
    moveUp: '上报上级', moveDown: '交办下级', invalid: '请检查填写的内容',
    copy_to: '抄送对象', copyUsers: '抄送人员', copyUnits: '抄送单位', copyPick: '请至少选择一位人员或一个单位', searching: '正在查找…', noColleague: '没有找到这个人，请输入姓名或账号的一部分',
  },
  documents: {
    title: '文书', unavailable: '暂不可出具',
    'acceptance-notice': '受理告知书', 'mediation-agreement': '人民调解协议书', summary: '案件办理情况摘要',
  },
  kind: {
    resolved: '已解决', mediated_success: '调解成功', mediated_failure: '调解不成', withdrawn: '撤回申请',
    transferred: '已转送', refused: '不予受理', terminated: '终止', not_accepted: '不予受理（不符合条件）',
  },
};

const en: typeof zh = {
  case: {
    registeredAt: 'Registered', holder: 'Held by', channel: 'Channel', visits: '{{count}} visits (repeated)', conferenceWaiting: 'Waiting for the case conference “{{title}}” on {{at}} at {{place}}', conferenceClock: 'Clock stopped until then (on the steps whose deadline may be suspended)', groupOthers: 'and {{names}} (a group matter of {{count}})', addResident: 'Add a resident', addResidentTitle: 'Add a resident who brings the matter too (group matter)', addResidentOk: 'Add', addResidentRefused: 'Not added', residentName: 'Name', residentId: 'ID number', residentPhone: 'Phone', residentNumbers: 'At least one of the ID number and the phone: the lookup finds the case by them', residentNote: 'Note', residentAdded: '{{name}} added ({{count}} residents)', required: 'Required', outcome: 'Outcome',
    tasks: 'Open tasks', noTasks: 'No open tasks', task: 'Step', dueAt: 'Due', held: 'Unit / department', delegatedTo: 'delegated to {{user}}',
    why: 'How counted', whyTitle: 'How the due date was counted', counted: 'Days counted', skipped: 'Days skipped',
    moved: 'Make-up working days', suspensions: 'Suspensions', notes: 'Notes', basis: 'Basis',
    suspended: 'Clock suspended', claimedBy: 'Claimed by', delegate: 'Delegated to',
    clocks: 'Statutory periods', clock: 'Period', period: 'Length', startedAt: 'Started', stoppedAt: 'Stopped',
    running: 'Running', stopped: 'Stopped', onTime: 'On time', extensions: 'Extended {{count}} times',
    timeline: 'Timeline', noTimeline: 'Nothing recorded yet', actor: 'By',
    paper: '{{name}} ({{type}}, {{size}} bytes) SHA-256 {{sha}}…', paperReplaces: 'replacing {{paper}}',
    actions: 'What you can do', noActions: 'There is nothing you can do on this case now.', ratingLink: 'Rating link', ratingLinkTitle: 'For the resident to scan and rate', ratingLinkQR: 'QR code of the rating link', ratingLinkNote: 'The link works once, until {{until}}; it is shown only now, and issuing another one ends it.',
    loadFailed: 'Could not load: {{reason}}',
    diagram: 'Step diagram', diagramShow: 'Show', diagramHide: 'Hide',
    findings: 'Accountability findings', foundAt: 'Found', foundOn: 'On', foundOrder: 'Order {{id}} unanswered in time', responsible: 'Responsible', cause: 'Cause', measure: 'Measure taken',
    orders: 'Supervision orders', orderedAt: 'Ordered', orderedTo: 'Addressed to', reason: 'Reason', replyBy: 'Reply by',
    reply: 'Reply', replyWaiting: 'Awaiting reply', replyOverdue: 'Reply overdue', repliedLate: 'replied late',
  },
  unit: { workdays: 'working days', days: 'days', hours: 'hours', minutes: 'minutes' },
  channel: { visit: 'Visit', letter: 'Letter', phone: 'Phone', online: 'Online', grid: 'Grid worker' },
  action: {
    register: 'Registered', complete: 'Complete', escalate: 'Escalate', hand_down: 'Hand down', return: 'Return up',
    transfer: 'Transfer', divert: 'Divert', report: 'Report', acknowledge: 'Acknowledge', suspend: 'Suspend clock',
    resume: 'Resume clock', extend: 'Extend', supervise: 'Supervise', reply: 'Reply to order', note: 'Note',
    close: 'Close', evaluate: 'Evaluate', request_review: 'Request review', withdraw: 'Withdraw', send_back: 'Send back',
    delegate: 'Delegate', delegate_result: 'Delegate result', recall: 'Take back delegation', reassign: 'Reassign', copy: 'Copy for information', find: 'Accountability finding', visit: 'Repeated visit',
    claim: 'Claimed', release: 'Released', overdue: 'Overdue', warn: 'Due soon', auto_escalate: 'Escalated by rule', urge: 'Urged',
    deadline_warning: 'Due soon', deadline_overdue: 'Overdue', supervision_overdue: 'Order not answered in time', rule_failed: 'Rule failed',
    not_accepted: 'Not accepted', link: 'Linked', attach: 'Attachment added', detach: 'Attachment deleted', conference: 'Case conference', conference_reminder: 'Conference reminder', join: 'Joined (group matter)',
  },
  form: {
    outcome: 'Outcome', target: 'Hand down to', departments: 'Departments', step: 'Back to step', order: 'Order',
    user: 'User id', extension: 'Length', replyWithin: 'Reply within', rating: 'Satisfaction', result: 'What was done', reason: 'Reason',
    reasonNote: 'Note', findOn: 'Inquiry into', findTask: 'Overdue task “{{step}}” ({{holder}})', findOrder: 'Order unanswered in time: {{reason}}', responsible: 'Unit or department responsible', cause: 'Cause', measure: 'Measure taken', unitsGroup: 'Units', departmentsGroup: 'Departments', submit: 'OK', cancel: 'Cancel', required: 'Please fill in {{field}}', pick: 'Please choose {{field}}',
    refused: 'Not accepted: {{reason}}', done: '{{action}}: done', next: 'Next: {{next}}', end: 'Ends the case',
    moveUp: 'moves up', moveDown: 'moves down', invalid: 'Please check what you entered',
    copy_to: 'Copy to', copyUsers: 'Copy to people', copyUnits: 'Copy to units', copyPick: 'Choose at least one person or unit', searching: 'Searching…', noColleague: 'Nobody found: type a part of a name or id',
  },
  documents: {
    title: 'Documents', unavailable: 'not available yet',
    'acceptance-notice': 'Acceptance notice', 'mediation-agreement': 'Mediation agreement', summary: 'Case summary',
  },
  kind: {
    resolved: 'Resolved', mediated_success: 'Mediated', mediated_failure: 'Mediation failed', withdrawn: 'Withdrawn',
    transferred: 'Transferred', refused: 'Refused', terminated: 'Terminated', not_accepted: 'Not accepted',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
