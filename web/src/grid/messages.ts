import i18n from '../i18n';

// The grid worker's page's words, added when its chunk loads.
const zh = {
  grid: {
    title: '网格上报', note: '发现的人、事、地、物、情，当场登记；能就地化解的当场办结，不能的上报嘎查村（社区）。',
    kind: '事件类别', kinds: { person: '人', event: '事', place: '地', thing: '物', situation: '情' },
    kindHelp: { person: '重点人员', event: '矛盾纠纷、突发事件', place: '场所、区域', thing: '设施、物品', situation: '社情民意' },
    description: '事件描述', descriptionHelp: '发生了什么、在哪里、涉及谁', resident: '当事人', phone: '联系电话',
    where: '位置', locate: '获取当前位置', located: '纬度 {{latitude}}，经度 {{longitude}}', noLocation: '未获取位置（可不填）', locateFailed: '无法获取位置：{{reason}}',
    submit: '登记', registered: '已登记 {{number}}', unnamed: '（未具名）',
    handle: '处置', handling: '处置情况', onSpot: '就地化解、当场办结', escalate: '上报嘎查村（社区）', escalateReason: '上报理由',
    closed: '已就地办结', escalated: '已上报 {{unit}}', another: '再报一件', open: '查看案件',
    descriptionShort: '请至少写两个字', required: '请填写{{field}}', badPhone: '不是有效的电话号码',
    photos: '照片', photosHelp: '可拍照或从相册选择（JPG、PNG），登记后随案上传；可不选。', addPhoto: '添加照片',
    photoUploading: '上传中', photoDone: '已上传', photoFailed: '上传失败', photoRetry: '重试', photoRetryOf: '重新上传 {{name}}',
  },
};

const en: typeof zh = {
  grid: {
    title: 'Grid report', note: 'Register what you find (people, events, places, things, situations) on the spot; settle it there when you can, else report it up to the village.',
    kind: 'Kind', kinds: { person: 'Person', event: 'Event', place: 'Place', thing: 'Thing', situation: 'Situation' },
    kindHelp: { person: 'people to watch', event: 'disputes, incidents', place: 'sites, areas', thing: 'facilities, objects', situation: 'public sentiment' },
    description: 'What happened', descriptionHelp: 'what, where, who', resident: 'Resident concerned', phone: 'Phone',
    where: 'Where', locate: 'Use my location', located: 'Latitude {{latitude}}, longitude {{longitude}}', noLocation: 'No location (optional)', locateFailed: 'No location: {{reason}}',
    submit: 'Register', registered: 'Registered {{number}}', unnamed: '(unnamed)',
    handle: 'Handle', handling: 'How it was handled', onSpot: 'Settled on the spot', escalate: 'Report up to the village', escalateReason: 'Why it goes up',
    closed: 'Settled on the spot', escalated: 'Reported to {{unit}}', another: 'Report another', open: 'Open the case',
    descriptionShort: 'Write at least two characters', required: 'Fill in {{field}}', badPhone: 'Not a valid phone number',
    photos: 'Photos', photosHelp: 'Take them or pick them from the gallery (JPG, PNG); they are attached once the event is registered. Optional.', addPhoto: 'Add photo',
    photoUploading: 'Uploading', photoDone: 'Uploaded', photoFailed: 'Failed', photoRetry: 'Retry', photoRetryOf: 'Upload {{name}} again',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
