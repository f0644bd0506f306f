import i18n from '../i18n';

// The words of 组织与人员, added when the page's chunk loads.
const zh = {
  org: {
    title: '组织与人员', adminOnly: '只有管理员可以维护组织机构和工作人员。',
    intro: '本页维护组织机构、部门和工作人员；保存后新登记的案件和各页面立即按新的组织办理。有在办任务的单位和人员不能调整层级、上级或岗位，请先移交任务。',
    tabs: { units: '组织机构', departments: '部门', staff: '工作人员' },
    level: { province: '自治区', city: '市', government: '旗委政府', banner: '旗综治中心', town: '苏木镇', village: '嘎查村/社区', group: '社组' },
    mode: { resident: '常驻', rotating: '轮驻', on_call: '随叫随驻' },
    code: '代码', name: '名称', nameEn: '英文名称', levelLabel: '层级', parent: '上级单位', prefix: '案件编号前缀',
    search: '搜索单位名称或代码', pick: '在左侧选择一个单位查看详情。', none: '—', noUnits: '没有可维护的单位',
    edit: '编辑', addChild: '新增下级单位', addChildOf: '在“{{parent}}”下新增{{level}}', editUnit: '编辑单位：{{name}}',
    noChild: '社组是最低一级，不能再设下级单位。', codeHelp: '字母、数字和 _ . @ -，保存后不能修改', codeTaken: '代码 {{code}} 已被“{{name}}”使用',
    prefixHelp: '2至8位大写字母或数字，如 WS', parentHelp: '改变上级单位时，该单位不能有在办任务',
    unitSaved: '已保存单位“{{name}}”', children: '下级单位', childCount: '{{count}} 个',
    deptName: '部门名称', mode_: '入驻方式', hours: '响应时限', hoursValue: '{{count}} 小时', hoursHelp: '随叫随驻的部门接到吹哨后须在此时限内报到',
    addDept: '新增部门', editDept: '编辑部门：{{name}}', deptSaved: '已保存部门“{{name}}”', actions: '操作',
    staffSearch: '搜索姓名、账号或单位', id: '账号', person: '姓名', role: '角色', unit: '所在单位', department: '所属部门',
    posts: '兼任岗位', addPost: '增加兼任岗位', removePost: '删除此岗位', addUser: '新增工作人员', editUser: '编辑工作人员：{{name}}',
    userSaved: '已保存工作人员“{{name}}”', idHelp: '登录账号（统一身份认证的用户标识），保存后不能修改', idTaken: '账号 {{id}} 已存在',
    deptRequired: '部门工作人员须选择所属部门', required: '请填写{{field}}', refused: '未能保存',
    deptsReadOnly: '部门由各旗县共用，由市级管理员维护；此处只读。',
    count: '共 {{count}} 人', save: '保存', hoursUnit: '小时',
  },
};

const en: typeof zh = {
  org: {
    title: 'Organisation and staff', adminOnly: 'Only administrators keep the organisation and its staff.',
    intro: "Keeps the org units, departments and staff; once saved, new cases and every page follow the new organisation at once. A unit or person holding open tasks cannot change level, parent or posts: hand the tasks over first.",
    tabs: { units: 'Org units', departments: 'Departments', staff: 'Staff' },
    level: { province: 'Region', city: 'City', government: 'Banner government', banner: 'Banner center', town: 'Town', village: 'Village', group: 'Group' },
    mode: { resident: 'Resident', rotating: 'Rotating', on_call: 'On call' },
    code: 'Code', name: 'Name', nameEn: 'English name', levelLabel: 'Level', parent: 'Parent unit', prefix: 'Case number prefix',
    search: 'Search a unit by name or code', pick: 'Choose a unit on the left to see it.', none: '—', noUnits: 'No units to keep',
    edit: 'Edit', addChild: 'Add a unit below', addChildOf: 'New {{level}} under “{{parent}}”', editUnit: 'Edit unit: {{name}}',
    noChild: 'A group is the lowest level: it has no units below it.', codeHelp: 'Letters, digits and _ . @ -; fixed once saved', codeTaken: 'Code {{code}} is taken by “{{name}}”',
    prefixHelp: '2 to 8 capital letters or digits, e.g. WS', parentHelp: 'A unit holding open tasks cannot move to another parent',
    unitSaved: 'Unit “{{name}}” saved', children: 'Units below', childCount: '{{count}}',
    deptName: 'Department', mode_: 'Stationing', hours: 'Response time', hoursValue: '{{count}} h', hoursHelp: 'An on-call department summoned has to report in within this time',
    addDept: 'Add a department', editDept: 'Edit department: {{name}}', deptSaved: 'Department “{{name}}” saved', actions: 'Actions',
    staffSearch: 'Search by name, account or unit', id: 'Account', person: 'Name', role: 'Role', unit: 'Org unit', department: 'Department',
    posts: 'Further posts', addPost: 'Add a post', removePost: 'Remove this post', addUser: 'Add a person', editUser: 'Edit person: {{name}}',
    userSaved: '“{{name}}” saved', idHelp: "The sign-in account (the identity provider's subject); fixed once saved", idTaken: 'Account {{id}} exists already',
    deptRequired: 'Department staff need their department', required: '{{field}} is required', refused: 'Not saved',
    deptsReadOnly: 'Departments are shared by every county and kept by the city\'s administrator: read only here.',
    count: '{{count}} people', save: 'Save', hoursUnit: 'h',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
