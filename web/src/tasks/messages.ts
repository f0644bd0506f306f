import i18n from '../i18n';

// The words of the task lists and the queue's batch bar, added when their chunk loads.
const zh = {
  lists: {
    title: '我的事项',
    done: '已办', mine: '我发起的', copied: '抄送我的',
    number: '案件编号', matter: '事项', subject: '事由', status: '案件状态', step: '当前环节',
    task: '我办理的环节', outcome: '办理结果', closedAt: '办理时间', receivedAt: '受理时间',
    by: '抄送人', at: '抄送时间', reason: '抄送说明', read: '阅读', unread: '未读', readDone: '已读',
    unreadOnly: '只看未读', markRead: '标为已读', more: '加载更多', empty: '暂无记录',
    toUnit: '（抄送本单位）',
  },
  batch: {
    selected: '已选 {{count}} 项', claim: '批量认领', note: '批量备注', complete: '批量办理',
    outcome: '选择可批量办理的结果', noOutcome: '所选任务没有可批量办理的结果',
    noteTitle: '为 {{count}} 件案件添加备注', noteText: '备注内容', noteRequired: '请填写备注内容',
    completeTitle: '批量办理 {{count}} 项任务', remark: '办理说明（可选）',
    result: '已办理 {{applied}} 项，未通过 {{refused}} 项', refusedTitle: '以下任务未能办理', clear: '取消选择',
    submit: '确定', cancel: '取消',
  },
};

const en: typeof zh = {
  lists: {
    title: 'My matters',
    done: 'Done', mine: 'Registered by me', copied: 'Copied to me',
    number: 'Case number', matter: 'Matter', subject: 'Subject', status: 'Case status', step: 'Current step',
    task: 'Step I handled', outcome: 'Outcome', closedAt: 'Handled at', receivedAt: 'Received at',
    by: 'Copied by', at: 'Copied at', reason: 'Remark', read: 'Read', unread: 'Unread', readDone: 'Read',
    unreadOnly: 'Unread only', markRead: 'Mark read', more: 'Load more', empty: 'Nothing here',
    toUnit: ' (to my unit)',
  },
  batch: {
    selected: '{{count}} selected', claim: 'Claim all', note: 'Note on all', complete: 'Complete all',
    outcome: 'Choose a batchable outcome', noOutcome: 'The selected tasks have no batchable outcome',
    noteTitle: 'Note on {{count}} cases', noteText: 'Note', noteRequired: 'Please write the note',
    completeTitle: 'Complete {{count}} tasks', remark: 'Remark (optional)',
    result: '{{applied}} done, {{refused}} refused', refusedTitle: 'These tasks were refused', clear: 'Clear selection',
    submit: 'OK', cancel: 'Cancel',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
