import i18n from '../i18n';

// The studio's words, added when its chunk loads.
const zh = {
  studio: {
    title: '流程管理', adminOnly: '只有管理员可以管理流程。', intro: '各事项的办理流程：环节、期限、分级规则。发布新版本后，新登记的案件按新版本办理，在办案件仍按原版本办结。',
    key: '流程', name: '名称', matter: '事项', latest: '最新版本', status: '状态', validFrom: '生效日期', inForce: '现行版本',
    running: '在办案件', versions: '版本', version: '第{{version}}版', open: '打开', none: '无',
    statusName: { draft: '草稿', published: '已发布', retired: '已停用' },
    editor: '定义（YAML）', yaml: '流程定义 YAML 编辑器', back: '返回流程列表',
    save: '保存草稿', saved: '草稿已保存', publish: '发布…', retire: '停用…', newDraft: '编辑新版本',
    readOnly: '已发布和已停用的版本不能修改；要修改请编辑新版本。',
    checking: '检查中…', valid: '没有问题，可以发布', problems: '{{count}} 个问题', problemsTab: '问题',
    fixFirst: '有 {{count}} 个问题，改正后才能发布', noProblems: '没有问题',
    diagram: '流程图', unreachableNote: '虚线框：从开始无法到达的环节', trappedNote: '红框：无法到达“办结”的环节',
    diffTitle: '发布第{{version}}版前请核对改动', diffAgainst: '与现行第{{base}}版相比：', diffFirst: '这是该流程的第一个发布版本。',
    noChanges: '与现行版本没有差别', changes: '改动列表', path: '位置', change: '改动', old: '原值', new: '新值',
    kind: { added: '新增', removed: '删除', changed: '修改' },
    stay: '现行第{{base}}版有 {{count}} 件在办案件，将继续按第{{base}}版办结；今后新登记的案件按第{{version}}版办理。',
    confirmPublish: '确认发布', published: '第{{version}}版已发布',
    retireTitle: '停用第{{version}}版？', retireBody: '停用后不再有新案件按此版本办理；{{count}} 件在办案件仍按此版本办结。', confirmRetire: '确认停用',
    retired: '第{{version}}版已停用', failed: '操作失败：{{reason}}',
    try: {
      tab: '规则试算', intro: '用示例案件数据运行正在编辑的定义（未保存也可），结果与真实案件的计算一致。',
      level: '层级', unit: '承办单位', anyUnit: '不指定单位', from: '受理日期', run: '试算', data: '示例数据',
      rules: '本层级规则', firstVisit: '首访首办（first_visit）', accept: '受理（accept）', divert: '分流（divert）', escalate: '上报（escalate）',
      yes: '是', no: '否', byDefault: '（未设规则，默认）', failedRule: '规则出错：{{error}}',
      step: '环节', deadline: '期限', due: '到期日', explanation: '计算说明', outcomes: '可选结果', noDeadline: '无期限',
      offered: '可选', notOffered: '不可选', start: '开始环节', fixFirst: '定义有问题，改正后才能试算',
    },
    unit: { minutes: '分钟', hours: '小时', days: '日', workdays: '个工作日' },
    forms: {
      tab: '常用修改', intro: '修改结果写入左边的 YAML，发布前会列出改动。',
      deadline: '环节期限', step: '环节', level: '层级', ownLevel: '所有层级（环节本身的期限）', amount: '期限', unit: '单位', basis: '依据',
      apply: '写入定义', applied: '已写入定义，请核对后保存或发布',
      divert: '分流表', divertIntro: '按表单字段的取值把案件分流到部门（吹哨报到）。', field: '按字段', value: '取值',
      departments: '分流部门', otherwise: '其他取值', noEnum: '表单没有选项字段，无法生成分流表',
    },
  },
};

const en: typeof zh = {
  studio: {
    title: 'Procedures', adminOnly: 'Only administrators manage procedures.', intro: 'How each matter is handled: steps, deadlines and the rules of each level. A new version applies to cases registered after it is published; running cases finish on theirs.',
    key: 'Procedure', name: 'Name', matter: 'Matter', latest: 'Latest version', status: 'Status', validFrom: 'Valid from', inForce: 'In force',
    running: 'Running cases', versions: 'Versions', version: 'Version {{version}}', open: 'Open', none: 'None',
    statusName: { draft: 'Draft', published: 'Published', retired: 'Retired' },
    editor: 'Definition (YAML)', yaml: 'Procedure definition YAML editor', back: 'Back to the procedures',
    save: 'Save draft', saved: 'Draft saved', publish: 'Publish…', retire: 'Retire…', newDraft: 'Edit a new version',
    readOnly: 'Published and retired versions cannot change; edit a new version instead.',
    checking: 'Checking…', valid: 'No problems: it can be published', problems: '{{count}} problems', problemsTab: 'Problems',
    fixFirst: '{{count}} problems must be fixed before publishing', noProblems: 'No problems',
    diagram: 'Diagram', unreachableNote: 'Dashed: steps the start cannot reach', trappedNote: 'Red: steps with no way to close the case',
    diffTitle: 'Check the changes before publishing version {{version}}', diffAgainst: 'Compared with version {{base}}, in force:', diffFirst: 'This is the first published version.',
    noChanges: 'No difference from the version in force', changes: 'The changes', path: 'Where', change: 'Change', old: 'Was', new: 'Now',
    kind: { added: 'added', removed: 'removed', changed: 'changed' },
    stay: '{{count}} running cases of version {{base}} finish on version {{base}}; cases registered from now on follow version {{version}}.',
    confirmPublish: 'Publish', published: 'Version {{version}} published',
    retireTitle: 'Retire version {{version}}?', retireBody: 'No new case will start on it; its {{count}} running cases finish on it.', confirmRetire: 'Retire',
    retired: 'Version {{version}} retired', failed: 'Failed: {{reason}}',
    try: {
      tab: 'Try the rules', intro: 'Runs the definition being edited (saved or not) on sample case data, with the code real cases run.',
      level: 'Level', unit: 'Org unit', anyUnit: 'No particular unit', from: 'Received on', run: 'Try', data: 'Sample data',
      rules: "The level's rules", firstVisit: 'First visit (first_visit)', accept: 'Accept (accept)', divert: 'Divert (divert)', escalate: 'Escalate (escalate)',
      yes: 'yes', no: 'no', byDefault: '(no rule: default)', failedRule: 'Rule failed: {{error}}',
      step: 'Step', deadline: 'Deadline', due: 'Due', explanation: 'How it was counted', outcomes: 'Outcomes offered', noDeadline: 'None',
      offered: 'offered', notOffered: 'not offered', start: 'Start step', fixFirst: 'Fix the definition first',
    },
    unit: { minutes: 'minutes', hours: 'hours', days: 'days', workdays: 'working days' },
    forms: {
      tab: 'Everyday changes', intro: 'Changes are written into the YAML on the left; publishing shows them first.',
      deadline: "A step's deadline", step: 'Step', level: 'Level', ownLevel: "Every level (the step's own)", amount: 'Amount', unit: 'Unit', basis: 'Basis',
      apply: 'Write into the definition', applied: 'Written into the definition: check it, then save or publish',
      divert: 'Diversion table', divertIntro: "Diverts cases to departments by a form field's value.", field: 'By field', value: 'Value',
      departments: 'Departments', otherwise: 'Any other value', noEnum: 'The form has no field with options for a diversion table',
    },
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
