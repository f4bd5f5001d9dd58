// Keys: browse by prefix or S3 bucket a page at a time, look one up, download it; upload and delete with the token.

import {describe, getJson, keyQuery, send} from './api.js';
import {bytes, count, time} from './format.js';
import {confirm, say} from './page.js';

const PAGE = 50;
let pages = [null]; // the 'after' of each page shown so far; the last is the current page's
let next = null;

function prefix() {
  const bucket = document.getElementById('bucket').value;
  const typed = document.getElementById('prefix').value;
  return bucket ? bucket + '/' + typed : typed;
}

async function list() {
  const after = pages[pages.length - 1];
  let page;
  try {
    page = await getJson('../list?prefix=' + encodeURIComponent(prefix()) + '&limit=' + PAGE
        + (after === null ? '' : '&after=' + encodeURIComponent(after)));
  } catch (error) {
    say(describe(error), 'error');
    return;
  }
  next = page.next || null;
  const items = page.keys.map(key => {
    const li = document.createElement('li');
    li.textContent = key;
    li.dataset.key = key;
    li.addEventListener('click', () => show(key, li));
    return li;
  });
  if (items.length === 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'no keys' + (prefix() ? ' under ' + prefix() : '');
    items.push(li);
  }
  document.getElementById('key-list').replaceChildren(...items);
  document.getElementById('page-prev').disabled = pages.length === 1;
  document.getElementById('page-next').disabled = next === null;
}

async function show(key, item) {
  let info;
  try {
    info = await getJson('../admin/key?' + keyQuery(key));
  } catch (error) {
    say(describe(error), 'error');
    return;
  }
  document.querySelectorAll('#key-list li.selected').forEach(li => li.classList.remove('selected'));
  if (item) {
    item.classList.add('selected');
  }
  document.getElementById('key-name').textContent = info.key;
  const facts = [['size', `${bytes(info.size)} (${count(info.size)} bytes)`], ['CRC32C', info.crc32c],
    ['generation', info.generation], ['copies on', info.volumes.join(', ')], ['written', time(info.modified)],
    ['content type', info.contentType || '–'], ['ETag', info.etag || '–']];
  if (info.parts > 0) {
    facts.push(['parts', info.parts]);
  }
  for (const [name, value] of Object.entries(info.metadata || {})) {
    facts.push([name.startsWith(':') ? name.slice(1) : 'x-amz-meta-' + name, value]);
  }
  document.getElementById('key-facts').replaceChildren(...facts.flatMap(([name, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    dd.dataset.fact = name;
    return [dt, dd];
  }));
  const download = document.getElementById('key-download');
  download.href = '../get?' + keyQuery(info.key);
  download.download = info.key.split('/').pop() || 'value';
  document.getElementById('key-info').hidden = false;
  document.getElementById('key-info').dataset.key = info.key;
}

async function remove() {
  const key = document.getElementById('key-info').dataset.key;
  if (!await confirm(`Delete ${key}?`, 'Its value is removed from every volume holding a copy. This cannot be undone.')) {
    return;
  }
  try {
    await send('DELETE', '../delete?' + keyQuery(key));
    say(`Deleted ${key}.`, 'info');
    document.getElementById('key-info').hidden = true;
    await list();
  } catch (error) {
    say(describe(error), 'error');
  }
}

async function upload(event) {
  event.preventDefault();
  const file = document.getElementById('upload-file').files[0];
  if (!file) {
    say('Choose a file to upload first.', 'error');
    return;
  }
  const key = document.getElementById('upload-key').value.trim() || prefix() + file.name;
  try {
    await send('PUT', '../set?' + keyQuery(key), file);
    say(`Stored ${bytes(file.size)} under ${key}.`, 'info');
    await list();
    await show(key, document.querySelector(`#key-list li[data-key="${CSS.escape(key)}"]`));
  } catch (error) {
    say(describe(error), 'error');
  }
}

export async function loadBuckets() {
  let buckets;
  try {
    buckets = await getJson('../admin/buckets');
  } catch (error) {
    return; // not serving yet: the listing says why
  }
  const select = document.getElementById('bucket');
  const chosen = select.value;
  select.replaceChildren(new Option('(all keys)', ''), ...buckets.map(name => new Option(name, name)));
  select.value = buckets.includes(chosen) ? chosen : '';
}

export function init() {
  document.getElementById('browse-form').addEventListener('submit', event => {
    event.preventDefault();
    pages = [null];
    list();
  });
  document.getElementById('bucket').addEventListener('change', () => {
    pages = [null];
    list();
  });
  document.getElementById('page-next').addEventListener('click', () => {
    if (next !== null) {
      pages.push(next);
      list();
    }
  });
  document.getElementById('page-prev').addEventListener('click', () => {
    if (pages.length > 1) {
      pages.pop();
      list();
    }
  });
  document.getElementById('key-delete').addEventListener('click', remove);
  document.getElementById('upload-form').addEventListener('submit', upload);
}

export async function open() {
  await loadBuckets();
  await list();
}
