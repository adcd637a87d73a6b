// The web chat page: sends questions to /api/messages and shows the replies. Every piece of text
// goes into the page with textContent, never as HTML.

const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
const log = document.getElementById('log');
const form = document.getElementById('ask');
const input = document.getElementById('question');
const picker = document.getElementById('lang');
const notice = document.getElementById('notice');
const visitLink = document.getElementById('visit-link');

let lang = document.documentElement.lang || 'en';
/** The page's words in the current language, keyed like "page.send". */
let strings = {};

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function word(key) {
  return strings[key] ?? '';
}

function scrollDown() {
  log.scrollTop = log.scrollHeight;
}

function showUser(text) {
  const item = el('div', { class: 'msg user', lang, dir: document.documentElement.dir || 'ltr' });
  item.append(el('p', { class: 'who' }, word('page.you')), el('p', { class: 'text' }, text));
  log.append(item);
  scrollDown();
}

function buttonRow(list) {
  const row = el('div', { class: 'buttons' });
  for (const item of list) {
    if (typeof item.href === 'string' && item.href.startsWith('/')) {
      row.append(el('a', { href: item.href, class: 'button-link' }, item.label));
    } else if (item.action) {
      const button = el('button', { type: 'button', class: 'suggestion' }, item.label);
      button.addEventListener('click', () => send({ text: '', action: item.action }, item.label));
      row.append(button);
    }
  }
  return row;
}

function table(data) {
  const wrap = el('div', { class: 'table-wrap' });
  const t = el('table');
  t.append(el('caption', {}, data.caption));
  const head = el('tr');
  for (const h of data.headers) head.append(el('th', { scope: 'col' }, h));
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  for (const row of data.rows) {
    const tr = el('tr');
    tr.append(el('td', {}, row.when), el('td', {}, row.title), el('td', {}, row.place));
    body.append(tr);
  }
  t.append(thead, body);
  wrap.append(t);
  return wrap;
}

function showReply(reply) {
  const item = el('div', { class: 'msg bot', lang: reply.lang, dir: reply.dir });
  item.append(el('p', { class: 'who' }, word('page.bot')));
  if (reply.title) item.append(el('h2', { class: 'title' }, reply.title));
  item.append(el('p', { class: 'text' }, reply.text));
  for (const note of reply.notes) item.append(el('p', { class: 'note' }, note));
  if (reply.table) item.append(table(reply.table));
  if (reply.download) {
    const file = new Blob([reply.download.content], { type: reply.download.contentType });
    item.append(
      el(
        'a',
        { class: 'button-link', href: URL.createObjectURL(file), download: reply.download.filename },
        reply.download.label,
      ),
    );
  }
  if (reply.suggestions.length > 0) {
    if (reply.suggestionsLabel) item.append(el('p', { class: 'label' }, reply.suggestionsLabel));
    item.append(buttonRow(reply.suggestions));
  }
  if (reply.buttons.length > 0) item.append(buttonRow(reply.buttons));
  log.append(item);
  scrollDown();
}

async function send(body, shown) {
  showUser(shown);
  notice.textContent = word('page.sending');
  try {
    const res = await fetch('/api/messages', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ ...body, lang }),
    });
    const data = await res.json().catch(() => null);
    if (data?.reply) {
      showReply(data.reply);
      notice.textContent = '';
    } else {
      notice.textContent = data?.error ?? word('page.failed');
    }
  } catch {
    notice.textContent = word('page.failed');
  }
}

async function loadStrings(next) {
  const res = await fetch(`/api/strings?lang=${encodeURIComponent(next)}`, { credentials: 'same-origin' });
  if (!res.ok) return false;
  const data = await res.json();
  strings = Object.fromEntries(Object.entries(data.page).map(([k, v]) => [`page.${k}`, v]));
  lang = data.lang;
  document.documentElement.lang = data.lang;
  document.documentElement.dir = data.dir;
  for (const node of document.querySelectorAll('[data-i18n]')) {
    const text = strings[node.dataset.i18n];
    if (text !== undefined) node.textContent = text;
  }
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    const text = strings[node.dataset.i18nPlaceholder];
    if (text !== undefined) node.setAttribute('placeholder', text);
  }
  for (const node of document.querySelectorAll('[data-i18n-label]')) {
    const text = strings[node.dataset.i18nLabel];
    if (text !== undefined) node.setAttribute('aria-label', text);
  }
  document.title = strings['page.title'] ?? document.title;
  visitLink.setAttribute('href', data.visitHref);
  return true;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  void send({ text }, text);
  input.focus();
});

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

picker.addEventListener('change', async () => {
  const next = picker.value;
  if (await loadStrings(next)) {
    const label = picker.options[picker.selectedIndex]?.textContent ?? next;
    await send({ text: '', action: { type: 'language', lang: next } }, label);
  }
});

void loadStrings(lang).then(() => {
  document.body.dataset.ready = 'true';
});
