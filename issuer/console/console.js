// The clerk console: every call goes to the issuer's /v1 API with the
// clerk's bearer token (kept in sessionStorage for this tab only). Text
// from the server or the clerk is only ever put into the page as
// textContent, never as HTML.
'use strict';

const TEXT = {
  zh: {
    title: '职称证书签发台', lang: 'English', signout: '退出', token: '访问令牌', signin: '登录',
    tabIssue: '签发', tabBatch: '批量', tabFind: '查找与吊销', tabAudit: '审计日志',
    name: '姓名', idno: '证件号码', series: '系列', specialty: '专业', level: '级别', route: '取得途径',
    committee: '评审委员会', granted: '授予日期', approval: '批准文号', employer: '工作单位',
    personHelp: '申报人情况（有条件的取得途径需要；评审委员会通过名单可不填）',
    check: '核对申报条件', issueBtn: '签发', none: '（无）',
    batchHelp: '上传评审委员会通过名单：Excel 工作簿（第一张表）、CSV（UTF-8 或 GB18030，逗号或分号分隔，中文或英文列名）或 JSON 行。',
    upload: '上传并签发', download: '下载结果文件', query: '证书编号、姓名或脱敏证件号', findBtn: '查找',
    auditLoad: '读取审计日志', when: '时间', action: '操作', details: '详情',
    issuedAs: '已签发，证书编号', reason: '吊销原因', revoke: '吊销', revokedAt: '已吊销',
    qr: '二维码', card: '证书 SVG', pdf: '证书 PDF', notFound: '没有找到证书',
    running: '进行中', done: '已完成', failed: '失败', rows: '行',
    eligible: '符合', not_yet: '尚未符合', not_eligible: '不符合', from: '自', badToken: '令牌无效',
    badPerson: '申报人情况不是 JSON 对象', chooseFile: '请先选择文件', st_issued: '已签发', st_exists: '已存在', st_error: '失败',
  },
  en: {
    title: 'Title certificate console', lang: '中文', signout: 'Sign out', token: 'Access token', signin: 'Sign in',
    tabIssue: 'Issue', tabBatch: 'Batch', tabFind: 'Find & revoke', tabAudit: 'Audit log',
    name: 'Name', idno: 'ID number', series: 'Series', specialty: 'Specialty', level: 'Level', route: 'Route',
    committee: 'Review committee', granted: 'Granted on', approval: 'Approval no.', employer: 'Employer',
    personHelp: "Applicant's profile (needed by routes with rules; not for a committee's approved list)",
    check: 'Check eligibility', issueBtn: 'Issue', none: '(none)',
    batchHelp: "Upload a committee's approved list: an Excel workbook (its first sheet), CSV (UTF-8 or GB18030, comma or semicolon, Chinese or English headers) or JSON lines.",
    upload: 'Upload and issue', download: 'Download the result file', query: 'Certificate no., name or masked ID', findBtn: 'Find',
    auditLoad: 'Read the audit log', when: 'When', action: 'Action', details: 'Details',
    issuedAs: 'Issued, certificate no.', reason: 'Reason for revocation', revoke: 'Revoke', revokedAt: 'Revoked',
    qr: 'QR code', card: 'Card SVG', pdf: 'Card PDF', notFound: 'No certificate found',
    running: 'running', done: 'done', failed: 'failed', rows: 'rows',
    eligible: 'eligible', not_yet: 'not yet', not_eligible: 'not eligible', from: 'from', badToken: 'The token is not valid',
    badPerson: "The applicant's profile is not a JSON object", chooseFile: 'Choose a file first', st_issued: 'issued', st_exists: 'exists', st_error: 'failed',
  },
};

for (const code of ['zh', 'en']) Object.assign(TEXT[code], PROFILE_TEXT[code]);

const PERSON_TEMPLATE = {
  education: [{ level: 'bachelor', full_time: true, graduated: '2020-07-01' }],
  technical_school_class: null, technical_work_since: '2020-07-15', skill_levels: [], qualifications: [], titles: [],
  employer: { kind: 'private', in_zone: true, industry: 'biomedicine', manufacturing: false },
  hr_staff: false, high_level_talent: null, first_application: true, continuing_education_hours: 0, entrustment_letter: null,
};

let lang = localStorage.getItem('console.lang') || 'zh';
let catalogue = null;
const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[lang][key] || key;
const named = (item) => (item ? (lang === 'en' ? item.en || item.zh : item.zh || item.en) : '');

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
  if (catalogue) fillSeries();
  fillProfilePickers();
}

async function api(method, path, body, contentType = 'application/json') {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem('console.token'), 'Accept-Language': lang };
  if (body !== undefined) headers['Content-Type'] = contentType;
  const response = await fetch(path, { method, headers, body });
  if (response.status === 401 && path !== '/v1/catalogue') signOut();
  return response;
}

async function apiJson(method, path, body) {
  const response = await api(method, path, body === undefined ? undefined : JSON.stringify(body));
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(data.message || response.statusText), { data, status: response.status });
  return data;
}

// What a route lacks, one item a line.
function missingList(items) {
  const list = el('ul', null, { class: 'hint missing' });
  for (const item of items) list.append(el('li', item));
  return list;
}

function showError(target, error) {
  $(target).textContent = error ? (error.data && error.data.error ? error.data.error + ': ' : '') + error.message : '';
}

// ---- signing in ----

async function signIn(token) {
  sessionStorage.setItem('console.token', token);
  const response = await api('GET', '/v1/catalogue');
  if (!response.ok) {
    sessionStorage.removeItem('console.token');
    $('signin-error').textContent = t('badToken');
    return;
  }
  catalogue = await response.json();
  $('signin-panel').hidden = true;
  $('work').hidden = false;
  $('signout').hidden = false;
  fillSeries();
  fillProfilePickers();
}

function signOut() {
  sessionStorage.removeItem('console.token');
  $('work').hidden = true;
  $('signout').hidden = true;
  $('signin-panel').hidden = false;
}

// ---- the catalogue pickers: series → specialty → level → route, committees that may decide ----

function fillSelect(select, items, label, value, keepEmpty) {
  const previous = select.value;
  select.replaceChildren();
  if (keepEmpty) select.append(el('option', t('none'), { value: '' }));
  for (const item of items) select.append(el('option', label(item), { value: String(value(item)) }));
  if ([...select.options].some((o) => o.value === previous)) select.value = previous;
}

function currentSeries() { return catalogue.series.find((s) => String(s.code) === $('series').value); }

function fillSeries() {
  fillSelect($('series'), catalogue.series, (s) => s.code + ' ' + named(s), (s) => s.code);
  fillSelect($('route'), catalogue.routes, (r) => named(r), (r) => r.id);
  fillSpecialtyAndLevel();
}

// A specialty may name its own titles; otherwise the series' apply.
function currentTitles() {
  const series = currentSeries();
  if (!series) return {};
  const specialty = (series.specialties || []).find((s) => String(s.code) === $('specialty').value);
  return (specialty && specialty.titles) || series.titles || {};
}

function fillSpecialtyAndLevel() {
  const series = currentSeries();
  if (!series) return;
  fillSelect($('specialty'), series.specialties || [], (s) => s.code + ' ' + named(s), (s) => s.code);
  fillLevels();
}

function fillLevels() {
  const titles = currentTitles();
  const levels = catalogue.levels.filter((l) => titles[String(l.code)]);
  fillSelect($('level'), levels, (l) => named(l) + ' · ' + named(titles[String(l.code)]), (l) => l.code);
  fillCommittees();
}

// A committee decides its series (and specialties, when it names them), up
// to its highest level, by its own route (review, or an enterprise's
// autonomous review) — what the issuer checks at issuance.
function committeeDecides(c, series, specialty, level, route) {
  const has = (list, v) => list === undefined || list === null || (Array.isArray(list) ? list.includes(v) : list === v);
  const itsRoute = c.route || 'review';
  const withinLevel = c.max_level === undefined || c.max_level === null || level <= c.max_level;
  return route === itsRoute && has(c.series, series) && has(c.specialties, specialty) && withinLevel;
}

function fillCommittees() {
  const series = Number($('series').value), specialty = Number($('specialty').value), level = Number($('level').value);
  const route = $('route').value;
  const fitting = (catalogue.committees || []).filter((c) => committeeDecides(c, series, specialty, level, route));
  fillSelect($('committee'), fitting, (c) => named(c), (c) => c.code, true);
  const title = currentTitles()[String(level)];
  $('title-name').textContent = title ? named(title) : '';
}

function target() {
  return { series: Number($('series').value), specialty: Number($('specialty').value), level: Number($('level').value) };
}

// The JSON the clerk typed when there is some, else the profile form's.
function person() {
  const text = $('person').value.trim();
  if (!text) return profileFromForm(target());
  const value = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(t('badPerson'));
  return value;
}

function issueBody() {
  const body = {
    type: 'title', holder: { name: $('holder-name').value.trim(), id: $('holder-id').value.trim() },
    ...target(), route: $('route').value, granted: $('granted').value,
  };
  if ($('committee').value) body.committee = Number($('committee').value);
  if ($('approval-no').value.trim()) body.approval_no = $('approval-no').value.trim();
  if ($('employer').value.trim()) body.employer = $('employer').value.trim();
  // A committee's approved list needs no profile: it goes with the
  // request only when the clerk opened the profile box.
  if ($('profile-box').open) Object.assign(body, { person: person() }, measure12FromForm());
  return body;
}

async function checkEligibility() {
  const out = $('eligibility');
  out.replaceChildren();
  try {
    const answer = await apiJson('POST', '/v1/eligibility', {
      on: $('granted').value || undefined, person: person(), target: target(),
    });
    for (const r of answer.routes) {
      const route = catalogue.routes.find((x) => x.id === r.route);
      const line = el('div', null, { class: 'verdict ' + r.verdict, 'data-route': r.route, 'data-verdict': r.verdict });
      line.append(el('strong', named(route) || r.route), document.createTextNode(' · ' + t(r.verdict)));
      if (r.from) line.append(document.createTextNode(' · ' + t('from') + ' ' + r.from));
      if (r.missing && r.missing.length) line.append(missingList(r.missing));
      out.append(line);
    }
  } catch (e) {
    out.append(el('p', (e.data && e.data.error ? e.data.error + ': ' : '') + e.message, { class: 'error' }));
  }
}

async function issueOne(event) {
  event.preventDefault();
  const out = $('issued');
  out.replaceChildren();
  try {
    const issued = await apiJson('POST', '/v1/certificates', issueBody());
    const line = el('p', t('issuedAs') + ' ', { class: 'ok', 'data-cert-no': issued.cert_no });
    line.append(el('strong', issued.cert_no));
    out.append(line, downloads(issued.cert_no));
  } catch (e) {
    const p = el('p', (e.data && e.data.error ? e.data.error + ': ' : '') + e.message, { class: 'error', 'data-error': (e.data && e.data.error) || '' });
    out.append(p);
    if (e.data && e.data.missing) out.append(missingList(e.data.missing));
  }
}

// ---- downloads need the token, so they are fetched and saved from a blob ----

async function download(path, filename) {
  const response = await api('GET', path);
  if (!response.ok) return showError('error', new Error(response.statusText));
  const url = URL.createObjectURL(await response.blob());
  const a = el('a', null, { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function downloads(certNo) {
  const row = el('div', null, { class: 'row' });
  const base = '/v1/certificates/' + encodeURIComponent(certNo);
  for (const [key, file, name] of [['qr', 'qr.png', certNo + '-qr.png'], ['card', 'card.svg', certNo + '.svg'], ['pdf', 'card.pdf', certNo + '.pdf']]) {
    const b = el('button', t(key), { type: 'button', class: 'download-' + key });
    b.addEventListener('click', () => download(base + '/' + file, name));
    row.append(b);
  }
  return row;
}

// ---- batches: upload, then poll the batch until it is no longer running ----

function csvCell(value) { return '"' + String(value === undefined || value === null ? '' : value).replace(/"/g, '""') + '"'; }

function resultFile(results) {
  const lines = ['line,status,cert_no,error,message'];
  for (const r of results) lines.push([r.line, t('st_' + r.status), r.cert_no, r.error, r.message].map(csvCell).join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

function showBatch(status) {
  $('batch-progress').max = Math.max(1, status.total);
  $('batch-progress').value = status.done;
  $('batch-state').dataset.state = status.state;
  $('batch-count').textContent = t(status.state) + ' · ' + status.done + ' / ' + status.total + ' ' + t('rows') +
    (status.failed ? ' · ' + t('failed') + ' ' + status.failed : '');
  const body = $('batch-results').tBodies[0];
  body.replaceChildren();
  for (const r of status.results.slice(-200)) {
    const tr = el('tr', null, { 'data-status': r.status });
    tr.append(el('td', r.line), el('td', t('st_' + r.status)), el('td', r.cert_no || ''), el('td', r.message || ''));
    body.append(tr);
  }
  if (status.state !== 'running') {
    const link = $('batch-download');
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([resultFile(status.results)], { type: 'text/csv' }));
    link.hidden = false;
  }
}

async function uploadBatch() {
  showError('error', null);
  const file = $('batch-file').files[0];
  if (!file) return showError('error', new Error(t('chooseFile')));
  $('batch-download').hidden = true;
  const response = await api('POST', '/v1/batches', await file.arrayBuffer(), 'application/octet-stream');
  const data = await response.json().catch(() => ({}));
  if (response.status !== 202) return showError('error', Object.assign(new Error(data.message || response.statusText), { data }));
  for (;;) {
    const status = await apiJson('GET', '/v1/batches/' + encodeURIComponent(data.batch));
    showBatch(status);
    if (status.state !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 700));
  }
}

// ---- finding and revoking ----

function certificateCard(c) {
  const card = el('div', null, { class: 'card', 'data-cert-no': c.cert_no, 'data-revoked': String(!!c.revoked) });
  card.append(el('strong', c.cert_no), document.createTextNode(' · ' + (c.holder ? c.holder.name + ' · ' + c.holder.id : '')));
  const title = c.title_name || (c.title && c.title.name) || null;
  if (title) card.append(el('div', typeof title === 'string' ? title : named(title)));
  if (c.revoked) {
    card.append(el('div', t('revokedAt') + ' ' + (c.revoked.at || '') + ' · ' + (c.revoked.reason || ''), { class: 'revoked' }));
  } else {
    const row = el('div', null, { class: 'row' });
    const reason = el('input', null, { class: 'revoke-reason', placeholder: t('reason'), maxlength: '200' });
    const button = el('button', t('revoke'), { type: 'button', class: 'revoke' });
    button.addEventListener('click', async () => {
      try {
        const revoked = await apiJson('POST', '/v1/certificates/' + encodeURIComponent(c.cert_no) + '/revoke', { reason: reason.value.trim() });
        card.replaceWith(certificateCard(revoked));
      } catch (e) { showError('error', e); }
    });
    row.append(reason, button);
    card.append(row);
  }
  card.append(downloads(c.cert_no));
  return card;
}

async function find(event) {
  event.preventDefault();
  const out = $('found');
  out.replaceChildren();
  try {
    const answer = await apiJson('GET', '/v1/certificates?q=' + encodeURIComponent($('query').value.trim()));
    if (!answer.certificates.length) out.append(el('p', t('notFound'), { class: 'hint' }));
    for (const c of answer.certificates) out.append(certificateCard(c));
  } catch (e) { showError('error', e); }
}

// ---- the audit log ----

async function loadAudit() {
  const body = $('audit').tBodies[0];
  body.replaceChildren();
  $('audit-error').textContent = '';
  try {
    const page = await apiJson('GET', '/v1/audit?limit=200');
    const entries = Array.isArray(page) ? page : page.entries || [];
    for (const e of entries) {
      const tr = el('tr');
      const when = e.time || e.at;
      tr.append(el('td', e.seq), el('td', when), el('td', e.action), el('td', typeof e.details === 'string' ? e.details : JSON.stringify(e.details)));
      body.append(tr);
    }
  } catch (e) { showError('audit-error', e); }
}

// ---- wiring ----

function showTab(name) {
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === name);
  for (const s of document.querySelectorAll('.tab')) s.hidden = s.id !== 'tab-' + name;
}

document.addEventListener('DOMContentLoaded', () => {
  applyLanguage();
  $('person').value = '';
  $('person').placeholder = JSON.stringify(PERSON_TEMPLATE, null, 1);
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('console.lang', lang);
    applyLanguage();
    // What the server explained is asked again in the new language.
    if ($('eligibility').childElementCount) checkEligibility();
  });
  $('signin').addEventListener('submit', (e) => { e.preventDefault(); signIn($('token').value.trim()); });
  $('signout').addEventListener('click', signOut);
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => showTab(b.dataset.tab));
  $('series').addEventListener('change', fillSpecialtyAndLevel);
  $('specialty').addEventListener('change', fillLevels);
  for (const id of ['level', 'route']) $(id).addEventListener('change', fillCommittees);
  $('check-eligibility').addEventListener('click', checkEligibility);
  $('issue').addEventListener('submit', issueOne);
  $('batch-upload').addEventListener('click', uploadBatch);
  $('find').addEventListener('submit', find);
  $('audit-load').addEventListener('click', loadAudit);
  if (sessionStorage.getItem('console.token')) signIn(sessionStorage.getItem('console.token'));
});
