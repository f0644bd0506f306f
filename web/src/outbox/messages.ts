import i18n from '../i18n';

// The words of the outbox page (发送记录), added when its chunk loads.
const zh = {
  outbox: {
    title: '发送记录', messages: '发送记录', templates: '通知模板',
    at: '生成时间', number: '案件编号', template: '通知类型', channel: '渠道', recipient: '接收方', status: '状态',
    attempts: '尝试次数', body: '发送内容', notRendered: '（首次尝试时生成）', lastError: '最近错误',
    attempt: '第{{n}}次', ok: '成功', running: '进行中', noAttempt: '尚未尝试',
    allStatuses: '全部状态', allChannels: '全部渠道', more: '加载更多', empty: '暂无发送记录',
    st: { pending: '待发送', sent: '已发送', failed: '发送失败' },
    ch: { sms: '短信', webhook: '工作通知（Webhook）' },
    variables: '可用变量', edited: '已修改', default: '默认', save: '保存', saved: '已保存', reset: '恢复默认文本',
    editedBy: '{{user}} 于 {{at}} 修改', readOnly: '仅管理员可修改模板',
  },
};

const en: typeof zh = {
  outbox: {
    title: 'Outbox', messages: 'Messages', templates: 'Templates',
    at: 'Created', number: 'Case number', template: 'Notice', channel: 'Channel', recipient: 'Recipient', status: 'Status',
    attempts: 'Attempts', body: 'Text sent', notRendered: '(written at the first attempt)', lastError: 'Last error',
    attempt: 'Attempt {{n}}', ok: 'Delivered', running: 'Running', noAttempt: 'Not tried yet',
    allStatuses: 'All statuses', allChannels: 'All channels', more: 'Load more', empty: 'No messages',
    st: { pending: 'Pending', sent: 'Sent', failed: 'Failed' },
    ch: { sms: 'SMS', webhook: 'Staff webhook' },
    variables: 'Variables', edited: 'Edited', default: 'Default', save: 'Save', saved: 'Saved', reset: 'Default text',
    editedBy: 'Edited by {{user}} at {{at}}', readOnly: 'Only administrators edit templates',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
