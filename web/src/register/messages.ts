import i18n from '../i18n';

// The register page's words, added when its chunk loads.
const zh = {
  register: {
    title: '登记', matter: '事项', procedure: '办理流程', pickProcedure: '请选择办理流程', channel: '来源渠道',
    details: '登记内容', resident: '当事人', subject: '事由', submit: '登记',
    required: '请填写{{field}}', badPhone: '电话号码不正确（11位手机号，或带区号的固定电话）',
    badId: '身份证号不正确（请核对出生日期和最后一位校验码）',
    minLength: '{{field}}至少{{count}}个字', maxLength: '{{field}}最多{{count}}个字',
    done: '登记成功，案件编号：', open: '查看案件', again: '继续登记', print: '打印回执',
    papers: '附件', addPapers: '选择文件', papersHint: '当事人带来的材料（信件、照片、身份证复印件等），登记后随案上传；类型按文件内容识别，不符合的可在案件页补传。',
    papersSent: '已上传附件 {{count}} 份', paperFailed: '{{name}} 未上传：{{reason}}（可在案件页补传）',
  },
  receipt: {
    title: '受理回执', matter: '事项', subject: '事由', resident: '当事人', channel: '来源渠道', receivedAt: '受理时间',
    unit: '受理单位', next: '下一步', period: '法定期限', dueBy: '{{due}}前办理',
    note: '请妥善保管本回执，凭案件编号可查询办理进度。期限按工作日计算的，节假日顺延。',
    clerk: '经办人（签字）：', resident2: '当事人（签字）：', date: '日期：',
  },
  channel: { visit: '来访', letter: '来信', phone: '来电', online: '网上', grid: '网格上报' },
  lookup: {
    none: '按身份证号、电话在本辖区未查到该群众的其他事项。',
    found: '该群众在本辖区有 {{count}} 件事项（一人多事）：同一事项仍在办理的，请记为重复访，无需重新登记',
    visit: '记为重复访', repeat: '本次为其重复访', unlink: '取消关联',
    visits: '来访 {{count}} 次', received: '{{date}} 受理', matchedBy: '按{{by}}查到',
    by: { id_number: '身份证号', phone: '电话' },
    repeating: '本次登记为 {{number}} 的重复访（第 {{visits}} 次来访）',
    visitTitle: '记录重复访：{{number}}', visitOk: '记录来访', visitReason: '本次反映的情况',
    visitHint: '群众就同一事项再次来访。记录本次反映的情况；来访次数计入规则（visits）和统计。',
    visited: '已记入 {{number}}，累计来访 {{count}} 次',
  },
};

const en: typeof zh = {
  register: {
    title: 'Register', matter: 'Matter', procedure: 'Procedure', pickProcedure: 'Choose the procedure', channel: 'Channel',
    details: 'Details', resident: 'Resident', subject: 'Subject', submit: 'Register',
    required: 'Please fill in {{field}}', badPhone: 'Not a phone number (11-digit mobile, or landline with area code)',
    badId: 'Not a valid resident ID number (check the birth date and the last character)',
    minLength: '{{field}}: at least {{count}} characters', maxLength: '{{field}}: at most {{count}} characters',
    done: 'Registered as case', open: 'Open the case', again: 'Register another', print: 'Print receipt',
    papers: 'Papers', addPapers: 'Choose files', papersHint: "The resident's papers (letters, photos, ID copies), uploaded to the case once registered; the type is read from the content, and a refused one can be added on the case page.",
    papersSent: '{{count}} papers uploaded', paperFailed: '{{name}} was not uploaded: {{reason}} (add it on the case page)',
  },
  receipt: {
    title: 'Acceptance receipt', matter: 'Matter', subject: 'Subject', resident: 'Resident', channel: 'Channel', receivedAt: 'Received',
    unit: 'Received by', next: 'Next step', period: 'Statutory period', dueBy: 'due by {{due}}',
    note: 'Keep this receipt: the case number finds the progress of the case. Periods in working days skip holidays.',
    clerk: 'Clerk (signature):', resident2: 'Resident (signature):', date: 'Date:',
  },
  channel: { visit: 'Visit', letter: 'Letter', phone: 'Phone', online: 'Online', grid: 'Grid worker' },
  lookup: {
    none: 'No other matter of this resident within your scope, by ID number or phone.',
    found: 'This resident has {{count}} matters within your scope: a matter still open takes the visit, no new registration',
    visit: 'Record a repeated visit', repeat: 'This repeats it', unlink: 'Unlink',
    visits: '{{count}} visits', received: 'received {{date}}', matchedBy: 'found by {{by}}',
    by: { id_number: 'ID number', phone: 'phone' },
    repeating: 'Registered as a repeated visit of {{number}} (visit {{visits}})',
    visitTitle: 'Repeated visit: {{number}}', visitOk: 'Record the visit', visitReason: 'What the resident said this time',
    visitHint: 'The resident came again about the same matter. Write what they said this time; the visits count in the rules (visits) and the statistics.',
    visited: 'Recorded on {{number}}: {{count}} visits so far',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
