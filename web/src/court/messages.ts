import i18n from '../i18n';

// The court referral page's words, added when its chunk loads.
const zh = {
  court: {
    title: '诉调对接', period: '委派日期', from: '开始日期', to: '结束日期', unit: '单位（含下级）', allUnits: '全部单位',
    note: '引导至法院诉前调解的纠纷在“法院诉前调解”环节等待法院结果，并按该环节的期限计时。结果由受理员在案件页登记，或在此导入法院平台导出的文件。',
    referred: '委派诉前调解', concluded: '法院已出结果', succeeded: '调解成功', rate: '调解成功率', civil: '法院新收民商事案件', share: '占新收民商事案件',
    rateHint: '调解成功 ÷ 已出结果', shareHint: '委派诉前调解 ÷ 法院新收民商事案件（需录入法院收案数）',
    import: '导入法院结果', importHint: '法院平台导出的 CSV 或 Excel 文件：表头须有“案件编号”“调解结果”列，可有“诉前调解案号”列。结果写“调解成功”“司法确认”或“调解不成”。文件中任何一行无法登记时，整份文件都不登记。',
    choose: '选择文件', imported: '已导入 {{file}}：登记 {{applied}} 件，未变 {{unchanged}} 件，失败 {{failed}} 件',
    refused: '文件未导入：{{reason}}', atRow: '第 {{row}} 行“{{column}}”', theFile: '文件',
    row: '行', caseNumber: '案件编号', courtRef: '诉前调解案号', result: '调解结果', status: '处理', message: '说明',
    results: { agreement: '调解成功', confirmed: '调解成功并司法确认', failed: '调解不成、转立案' },
    statuses: { applied: '已登记', unchanged: '已有结果', failed: '失败' },
    imports: '导入记录', at: '导入时间', file: '文件', by: '导入人', rows: '行数', applied: '登记', unchanged: '未变', failed: '失败',
    noImports: '还没有导入记录',
    intake: '法院新收民商事案件（按月录入）', month: '月份', count: '新收民商事案件数', save: '保存', saved: '已保存 {{month}} 的法院收案数',
    enteredBy: '录入人', noIntake: '还没有录入法院收案数',
  },
};

const en: typeof zh = {
  court: {
    title: 'Court referrals', period: 'Referred', from: 'From', to: 'To', unit: 'Unit (and below)', allUnits: 'All units',
    note: "A dispute referred to the court's pre-litigation mediation waits at the court's step, on that step's clock. Its result is recorded by a clerk on the case page, or imported here from the court platform's export.",
    referred: 'Referred', concluded: 'Result given', succeeded: 'Agreement', rate: 'Success rate', civil: "Court's new civil cases", share: 'Share of new civil cases',
    rateHint: 'agreements ÷ results given', shareHint: "referred ÷ the court's new civil and commercial cases (entered below)",
    import: "Import the court's results", importHint: "The court platform's export, CSV or Excel: a header with the columns 案件编号 (case number) and 调解结果 (result), optionally 诉前调解案号. Results: 调解成功, 司法确认 or 调解不成. If any row cannot be recorded, nothing of the file is.",
    choose: 'Choose a file', imported: 'Imported {{file}}: {{applied}} recorded, {{unchanged}} unchanged, {{failed}} failed',
    refused: 'The file was not imported: {{reason}}', atRow: 'Row {{row}}, {{column}}', theFile: 'The file',
    row: 'Row', caseNumber: 'Case', courtRef: "Court's number", result: 'Result', status: 'Done', message: 'Note',
    results: { agreement: 'Agreement', confirmed: 'Agreement, judicially confirmed', failed: 'Failed, filed as a lawsuit' },
    statuses: { applied: 'Recorded', unchanged: 'Already recorded', failed: 'Failed' },
    imports: 'Imports', at: 'Imported', file: 'File', by: 'By', rows: 'Rows', applied: 'Recorded', unchanged: 'Unchanged', failed: 'Failed',
    noImports: 'No import yet',
    intake: "The court's new civil and commercial cases, by month", month: 'Month', count: 'New civil and commercial cases', save: 'Save', saved: "The court's count of {{month}} is saved",
    enteredBy: 'Entered by', noIntake: "No count of the court's entered yet",
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
