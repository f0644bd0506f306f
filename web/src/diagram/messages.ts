import i18n from '../i18n';

// The step diagram's words, added when its chunk loads.
const zh = {
  diagram: {
    label: '{{name}}的流程图', start: '开始', end: '办结', current: '当前环节', unreachable: '不可达', trapped: '无法办结',
    legend: '图例', next: '办理结果', up: '上报上级（同一环节到上一层级）', down: '交办下级（同一环节到下一层级）',
    steps: '环节：{{steps}}', currentIs: '当前环节：{{step}}',
  },
};

const en: typeof zh = {
  diagram: {
    label: 'Steps of {{name}}', start: 'Start', end: 'Closed', current: 'Current step', unreachable: 'Unreachable', trapped: 'Cannot close',
    legend: 'Legend', next: 'Outcome', up: 'Escalate (same step, level above)', down: 'Hand down (same step, level below)',
    steps: 'Steps: {{steps}}', currentIs: 'Current step: {{step}}',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
