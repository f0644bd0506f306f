import i18n from '../i18n';

// The words of the page that moves running cases to a new procedure version, added when the
// page's chunk loads.
const zh = {
  mig: {
    title: '迁移运行中的案件', adminOnly: '只有管理员可以迁移运行中的案件。',
    intro: '法律或规定变化时，可将某流程旧版本上办理中的案件迁移到新发布的版本：先制定迁移计划并试运行，核对每件案件将进入的环节和新的到期时间，再应用。未映射环节上的案件留在原版本办结。',
    newPlan: '新建迁移计划', studio: '返回流程管理', back: '返回迁移计划列表', none: '还没有迁移计划',
    procedure: '流程', from: '源版本', to: '目标版本', fromTo: '版本', status: '状态', progress: '进度', createdBy: '制定人', createdAt: '制定时间', county: '范围',
    everyCounty: '全部旗县', open: '查看',
    statuses: { planned: '已试运行', applying: '迁移中', done: '已完成' },
    version: '第{{version}}版', versionRunning: '第{{version}}版（{{status}}，在办{{running}}件）',
    versionStatus: { draft: '草稿', published: '已发布', retired: '已停用' },
    pickProcedure: '请选择流程', pickFrom: '请选择源版本', pickTo: '请选择目标版本',
    mapping: '环节对应', mappingIntro: '目标版本中同名的环节自动对应；目标版本没有的环节请指定对应环节，不指定则停在该环节的案件留在原版本。',
    same: '同名环节，自动对应', noMapping: '不映射：案件留在原版本', sameAll: '两个版本的环节相同，全部自动对应。',
    dryRun: '试运行', dryRunNote: '试运行只计算每件案件迁移后的环节和到期时间，不迁移任何案件。', refused: '迁移计划未通过检查',
    plan: '迁移计划 #{{id}}', allSame: '全部同名环节自动对应', restSame: '其余同名环节自动对应',
    counts: '共{{total}}件：待迁移{{pending}}件，已迁移{{moved}}件，留在原版本{{left}}件，失败{{failed}}件',
    apply: '应用', resume: '继续应用', applyTitle: '应用迁移计划 #{{id}}？',
    applyBody: '{{count}}件案件将分批迁移到第{{version}}版，每件案件记入审计日志；留在原版本的案件不受影响。中断后可继续应用，已迁移的案件不会重复迁移。',
    applying: '正在分批迁移…', applied: '迁移计划已开始应用', finished: '迁移完成', stopped: '迁移计划处于“迁移中”但没有进展时，可点“继续应用”。',
    number: '案件编号', step: '当前环节', target: '迁移后环节', due: '新的到期时间', item: '状态', reason: '说明',
    itemStatuses: { pending: '待迁移', moved: '已迁移', left: '留在原版本', failed: '失败' },
    noDue: '无期限', filter: '只看', all: '全部', more: '显示更多', noCases: '源版本上没有办理中的案件',
  },
};

const en: typeof zh = {
  mig: {
    title: 'Move running cases', adminOnly: 'Only administrators move running cases.',
    intro: "When a law or rule changes, the running cases of an older version of a procedure can move to a newly published one: make a plan and its dry run, check where each case lands and its new due date, then apply it. Cases at a step the plan does not map finish on their version.",
    newPlan: 'New migration plan', studio: 'Back to the procedures', back: 'Back to the migration plans', none: 'No migration plan yet',
    procedure: 'Procedure', from: 'From version', to: 'To version', fromTo: 'Versions', status: 'Status', progress: 'Progress', createdBy: 'Planned by', createdAt: 'Planned at', county: 'Scope',
    everyCounty: 'Every county', open: 'Open',
    statuses: { planned: 'Dry run', applying: 'Moving', done: 'Done' },
    version: 'Version {{version}}', versionRunning: 'Version {{version}} ({{status}}, {{running}} running)',
    versionStatus: { draft: 'draft', published: 'published', retired: 'retired' },
    pickProcedure: 'Choose the procedure', pickFrom: 'Choose the version the cases run on', pickTo: 'Choose the version they move to',
    mapping: 'Step mapping', mappingIntro: "Steps with the same id in the target version map themselves; give a target step to each step the target lacks, or the cases at it stay on their version.",
    same: 'Same id: maps itself', noMapping: 'Not mapped: cases stay on their version', sameAll: 'Both versions have the same steps: each maps itself.',
    dryRun: 'Dry run', dryRunNote: 'The dry run only works out where each case lands and its new due date; no case moves.', refused: 'The plan did not pass its checks',
    plan: 'Migration plan #{{id}}', allSame: 'Each step maps itself', restSame: 'the other steps map themselves',
    counts: '{{total}} cases: {{pending}} to move, {{moved}} moved, {{left}} left on their version, {{failed}} failed',
    apply: 'Apply', resume: 'Resume', applyTitle: 'Apply migration plan #{{id}}?',
    applyBody: '{{count}} cases move to version {{version}} in batches, each with an audit entry; the cases left stay as they are. If it stops, resume it: no case moves twice.',
    applying: 'Moving the cases in batches…', applied: 'The plan is being applied', finished: 'Migration done', stopped: 'A plan that shows Moving without progress can be resumed.',
    number: 'Case', step: 'Step now', target: 'Step after', due: 'New due date', item: 'Status', reason: 'Note',
    itemStatuses: { pending: 'To move', moved: 'Moved', left: 'Left on its version', failed: 'Failed' },
    noDue: 'No deadline', filter: 'Only', all: 'All', more: 'Show more', noCases: 'No running case on the source version',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
