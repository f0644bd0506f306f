import i18n from '../i18n';

// The words of the counties' procedure overrides, added when the page's chunk loads.
const zh = {
  overrides: {
    title: '旗县流程调整', titleOf: '{{county}} · 流程调整', adminOnly: '只有管理员和审计员可以查看流程调整。',
    intro: '市里发布流程模板，本旗县采用模板并可在法定范围内调整：缩短期限、设定本旗县的分流表。发布后本旗县新登记的案件按调整后的流程办理，在办案件仍按原流程办结。',
    introAbove: '各旗县对流程模板的调整（只读）：模板由市级发布，旗县管理员在模板允许的范围内调整。',
    noneAbove: '还没有旗县调整流程', county: '旗县', own: '本旗县', templateInForce: '模板现行版本',
    asTemplate: '按模板办理', inForce: '第{{version}}版（采用模板第{{template}}版）', latest: '最新调整版本',
    newer: '模板有新版本：第{{version}}版', noTemplate: '没有可采用的流程模板 {{key}}', back: '返回流程调整列表',
    editorTitle: '{{name}} · {{county}}的调整', none: '本旗县尚未调整此流程，新案件按模板第{{version}}版办理。',
    adopts: '采用模板第{{version}}版',
    newerLong: '模板已发布第{{version}}版，本旗县仍按第{{adopted}}版办理；采用新版本前请核对改动。', adopt: '采用第{{version}}版…',
    adoptTitle: '采用模板第{{version}}版前请核对改动', adopted: '已在草稿中采用模板第{{version}}版，请核对后发布',
    confirmAdopt: '采用', templateChanges: '模板第{{version}}版的改动：', effectiveChanges: '本旗县案件将看到的改动：',
    publishTitle: '发布调整第{{version}}版前请核对改动', stay: '发布后本旗县新登记的案件按此办理；在办案件仍按原流程办结。',
    locked: '模板已锁定此项，由市级统一规定，旗县不能调整。',
    deadlines: '期限', deadlinesIntro: '只能缩短，不能超过模板（法定）期限；留空即按模板。',
    templateDeadline: '模板期限', countyDeadline: '本旗县期限',
    diversionIntro: '按“{{field}}”把案件分流到本旗县的部门；留空的取值按模板的规则分流。', byTemplate: '按模板规则',
    noDiversion: '该模板没有按事项领域分流的层级，无分流表可设。',
    fields: '本旗县增加的表单字段：{{fields}}（通过接口维护）', start: '开始调整（采用模板第{{version}}版）', started: '已新建调整草稿',
  },
};

const en: typeof zh = {
  overrides: {
    title: "Counties' procedure changes", titleOf: '{{county}} · procedure changes', adminOnly: 'Only administrators and auditors see the procedure changes.',
    intro: "The city publishes procedure templates; the county adopts them and may change them within the law: shorter deadlines, its own diversion table. Once published, the county's new cases follow the changed procedure; running cases finish on theirs.",
    introAbove: "Each county's changes to the procedure templates (read only): the city publishes the templates, a county's administrator changes them within their bounds.",
    noneAbove: 'No county has changed a procedure yet', county: 'County', own: 'This county', templateInForce: 'Template in force',
    asTemplate: 'As the template', inForce: 'Version {{version}} (template version {{template}})', latest: 'Latest change version',
    newer: 'Newer template: version {{version}}', noTemplate: 'No template {{key}} to adopt', back: 'Back to the procedure changes',
    editorTitle: "{{name}} · {{county}}'s changes", none: "The county has not changed this procedure: new cases follow template version {{version}}.",
    adopts: 'Adopts template version {{version}}',
    newerLong: 'The template has a version {{version}}; the county still runs version {{adopted}}. Check the changes before adopting it.', adopt: 'Adopt version {{version}}…',
    adoptTitle: 'Check the changes before adopting template version {{version}}', adopted: 'Template version {{version}} adopted in the draft: check it, then publish',
    confirmAdopt: 'Adopt', templateChanges: 'Changes of template version {{version}}:', effectiveChanges: "Changes the county's cases will see:",
    publishTitle: 'Check the changes before publishing version {{version}}', stay: "Once published, the county's new cases follow it; running cases finish on theirs.",
    locked: 'The template locks this part: the city sets it for every county.',
    deadlines: 'Deadlines', deadlinesIntro: "Only shorter: never past the template's (statutory) deadline; empty follows the template.",
    templateDeadline: "Template's deadline", countyDeadline: "County's deadline",
    diversionIntro: "Diverts cases by “{{field}}” to the county's departments; values left empty follow the template's rule.", byTemplate: "The template's rule",
    noDiversion: 'The template diverts by no topic at any level: there is no table to set.',
    fields: 'Fields the county adds: {{fields}} (kept through the API)', start: 'Start changing it (template version {{version}})', started: 'Draft of changes started',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
