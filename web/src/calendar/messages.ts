import i18n from '../i18n';

// The words of the working-day calendar, added when the page's chunk loads.
const zh = {
  calendar: {
    title: '工作日历', adminOnly: '只有管理员可以查看和维护工作日历。',
    intro: '按工作日计算的期限跳过周末、法定节假日和地方节假日，调休上班日照常计算。新登记的案件即按此日历计算期限，在办案件仍按登记时的日历。',
    year: '{{year}}年', prevYear: '上一年', nextYear: '下一年', pickYear: '选择年份',
    weekdays: '一,二,三,四,五,六,日', legend: '图例',
    kind: { workday: '工作日', weekend: '周末', holiday: '法定节假日', makeup: '调休上班', regional: '地方节假日' },
    notice: '国务院节假日安排通知', issued: '发布日期', enteredBy: '录入人', enteredAt: '录入时间', builtIn: '系统内置',
    missing: '尚未录入{{year}}年的国务院节假日安排通知，该年期限只按周末计算',
    missingReadOnly: '通知由市级管理员录入。',
    enter: '录入通知', replace: '修改通知', delete: '删除通知',
    deleteConfirm: '删除{{year}}年的节假日安排通知？', deleteHint: '删除后该年新登记案件的期限只按周末计算，在办案件不受影响。',
    deleted: '已删除{{year}}年的通知', saved: '已保存{{year}}年的通知', failed: '操作失败：{{reason}}',
    readOnly: '通知由市级管理员录入，旗县管理员只能查看。',
    summary: '放假{{holidays}}天，调休上班{{makeup}}天',
    formTitle: '{{year}}年节假日安排通知', noticeTitle: '通知标题', titleExample: '国务院办公厅关于{{year}}年部分节假日安排的通知',
    rowsHint: '每行填一个节日的放假日期（连续几天填起止日期，一天只填起始日期）；调休上班日单独一行并打开“调休上班”。',
    from: '起始日期', to: '结束日期', toPlaceholder: '单日不填', name: '名称', makeup: '调休上班',
    addRow: '添加一行', removeRow: '删除第{{row}}行', row: '第{{row}}行', save: '保存通知', cancel: '取消',
    required: '请填写', fieldRequired: '请填写{{field}}', and: '、', toBeforeFrom: '结束日期早于起始日期', tooMany: '一份通知最多{{max}}天，现有{{count}}天',
    dayCount: '共{{count}}天', refused: '服务器未接受通知，请按提示修改',
    regional: '地方节假日', addRegional: '添加地方节假日', date: '日期', region: '地区', regionExample: '内蒙古自治区',
    county: '适用旗县', allCounties: '全部旗县', ownCounty: '本旗县', workdayRegional: '调休上班（而非放假）',
    noRegional: '{{year}}年没有地方节假日', remove: '删除', removeConfirm: '删除{{date}}的{{name}}？',
    added: '已添加{{name}}', removed: '已删除{{name}}', add: '添加',
  },
};

const en: typeof zh = {
  calendar: {
    title: 'Working-day calendar', adminOnly: 'Only administrators see and keep the working-day calendar.',
    intro: 'Deadlines in working days skip weekends, national and regional holidays, and count make-up working days. New cases count with this calendar at once; running cases keep the calendar they started with.',
    year: '{{year}}', prevYear: 'Previous year', nextYear: 'Next year', pickYear: 'Pick a year',
    weekdays: 'Mo,Tu,We,Th,Fr,Sa,Su', legend: 'Legend',
    kind: { workday: 'Working day', weekend: 'Weekend', holiday: 'National holiday', makeup: 'Make-up working day', regional: 'Regional holiday' },
    notice: "The State Council's holiday notice", issued: 'Issued', enteredBy: 'Entered by', enteredAt: 'Entered at', builtIn: 'Built in',
    missing: "The State Council's holiday notice for {{year}} has not been entered: deadlines in {{year}} count weekends only",
    missingReadOnly: "The city's administrator enters the notice.",
    enter: 'Enter the notice', replace: 'Change the notice', delete: 'Delete the notice',
    deleteConfirm: 'Delete the holiday notice of {{year}}?', deleteHint: "New cases' deadlines in that year will count weekends only; running cases are not affected.",
    deleted: 'The notice of {{year}} is deleted', saved: 'The notice of {{year}} is saved', failed: 'Failed: {{reason}}',
    readOnly: "The city's administrator enters the notice; a county's administrator reads it.",
    summary: '{{holidays}} days off, {{makeup}} make-up working days',
    formTitle: 'Holiday notice of {{year}}', noticeTitle: 'Title', titleExample: 'Notice of the General Office of the State Council on some holidays in {{year}}',
    rowsHint: 'One line per holiday (its first and last day, or its first only for a single day); each make-up working day on a line of its own with “Make-up working day” on.',
    from: 'From', to: 'To', toPlaceholder: 'Single day: empty', name: 'Name', makeup: 'Make-up working day',
    addRow: 'Add a line', removeRow: 'Remove line {{row}}', row: 'Line {{row}}', save: 'Save the notice', cancel: 'Cancel',
    required: 'Required', fieldRequired: '{{field}} is required', and: ', ', toBeforeFrom: 'Ends before it starts', tooMany: 'A notice lists at most {{max}} days; this one has {{count}}',
    dayCount: '{{count}} days', refused: 'The server did not accept the notice: see the lines marked',
    regional: 'Regional holidays', addRegional: 'Add a regional holiday', date: 'Date', region: 'Region', regionExample: 'Inner Mongolia',
    county: 'County', allCounties: 'Every county', ownCounty: 'This county', workdayRegional: 'Make-up working day (not a day off)',
    noRegional: 'No regional holidays in {{year}}', remove: 'Remove', removeConfirm: 'Remove {{name}} on {{date}}?',
    added: '{{name}} added', removed: '{{name}} removed', add: 'Add',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
