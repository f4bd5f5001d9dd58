// The cluster at a glance: masters, volumes, and the changes an operator makes to them.

import {describe, getJson, send} from './api.js';
import {bytes, cell, count} from './format.js';
import {confirm, say, showView} from './page.js';

let last = null; // the last status read

export function render(status) {
  last = status;
  const serving = document.getElementById('serving');
  serving.textContent = status.serving ? 'serving' : status.state;
  serving.className = 'badge ' + (status.serving ? 'serving' : 'bad');
  document.getElementById('keys').textContent = count(status.keys);
  document.getElementById('replicas').textContent = status.replicas || '–';
  const up = status.volumes.filter(volume => volume.up === true).length;
  const volumesUp = document.getElementById('volumes-up');
  volumesUp.textContent = `${up} / ${status.volumes.length}`;
  volumesUp.className = 'figure ' + (up < status.volumes.length ? 'status-down' : 'status-up');
  document.getElementById('settled').textContent = status.settled ? 'yes' : 'no, moving';
  const replicasInput = document.getElementById('replicas-input');
  if (document.activeElement !== replicasInput && status.replicas) {
    replicasInput.value = status.replicas;
  }
  renderMasters(status);
  renderVolumes(status.volumes);
}

function renderMasters(status) {
  const rows = [];
  if (status.group) {
    for (const member of status.group.members) {
      const tr = document.createElement('tr');
      tr.className = member.answers ? '' : 'down';
      tr.append(cell(member.name + (member.url.replace(/\/$/, '') === location.origin ? ' (this page\'s)' : '')), cell(member.url),
          cell(member.role, member.role === 'leader' ? 'status-up' : ''),
          cell(member.answers ? 'yes' : 'no', member.answers ? 'status-up' : 'status-down'),
          cell(member.lag === null || member.lag === undefined ? '–' : count(member.lag), 'num'));
      rows.push(tr);
    }
  } else {
    const tr = document.createElement('tr');
    tr.append(cell('this master'), cell(location.origin), cell('single master'), cell('yes', 'status-up'), cell('–', 'num'));
    rows.push(tr);
  }
  document.querySelector('#masters tbody').replaceChildren(...rows);
}

function renderVolumes(volumes) {
  const rows = volumes.map(volume => {
    const tr = document.createElement('tr');
    tr.dataset.url = volume.url;
    const state = volume.up === true ? 'up' : volume.up === false ? 'down' : 'unknown';
    tr.className = state === 'down' ? 'down' : '';
    const status = cell(state, 'status-' + state);
    if (volume.problem) {
      status.title = volume.problem;
    }
    const scrub = volume.scrub
        ? (volume.scrub.rate > 0 ? `${count(volume.scrub.blobs)} blobs checked, ${count(volume.scrub.passes)} passes, ${bytes(volume.scrub.rate)}/s`
            : 'off')
        : '–';
    const buttons = document.createElement('td');
    if (volume.state === 'active') {
      buttons.append(button('Drain', () => drain(volume)), ' ', button('Remove', () => remove(volume), 'danger'));
    }
    tr.append(cell(volume.id, 'num'), cell(volume.url), cell(volume.state), status, cell(count(volume.blobs), 'num'),
        cell(bytes(volume.usableBytes), 'num'), cell(count(volume.damaged), volume.damaged > 0 ? 'num status-down' : 'num'),
        cell(scrub), buttons);
    return tr;
  });
  document.querySelector('#volumes tbody').replaceChildren(...rows);
  document.dispatchEvent(new Event('tdkvs:rendered'));
}

function button(text, action, className) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.className = 'needs-token' + (className ? ' ' + className : '');
  b.addEventListener('click', action);
  return b;
}

function blobs() {
  return last ? last.volumes.reduce((sum, volume) => sum + Math.max(0, volume.blobs), 0) : 0;
}

async function change(path, body, done) {
  try {
    await send('POST', path, body);
    say(done, 'info');
    showView('work');
  } catch (error) {
    say(describe(error), 'error');
  }
}

async function add(event) {
  event.preventDefault();
  const url = document.getElementById('add-url').value.trim();
  const volumes = last ? last.volumes.filter(volume => volume.state === 'active').length : 0;
  const moving = Math.round(blobs() / (volumes + 1));
  if (await confirm(`Add ${url}?`, `The cluster goes from ${volumes} to ${volumes + 1} volumes. About one copy in `
      + `${volumes + 1} moves onto ${url}: some ${count(moving)} of the ${count(blobs())} copies held now, while the master `
      + 'serves. Add it to the master\'s config file before its next restart.')) {
    await change('../admin/volumes', {url}, `Adding ${url}: the migration runs.`);
  }
}

async function drain(volume) {
  const others = last.volumes.filter(other => other.state === 'active' && other.url !== volume.url).length;
  if (await confirm(`Drain ${volume.url}?`, `Its ${count(volume.blobs)} copies move to the other ${others} volumes while the `
      + 'master serves; then it is retired. Remove it from the master\'s config file before its next restart.')) {
    await change('../admin/volumes/drain', {url: volume.url}, `Draining ${volume.url}: the migration runs.`);
  }
}

async function remove(volume) {
  let lost;
  try {
    lost = await getJson('../admin/volumes/lost?url=' + encodeURIComponent(volume.url));
  } catch (error) {
    say(describe(error), 'error');
    return;
  }
  const loss = lost.count > 0
      ? `${count(lost.count)} keys have their only copy there and would be lost (${lost.keys.slice(0, 5).join(', ')}`
        + `${lost.count > 5 ? ', …' : ''}).`
      : 'Every key it holds has a copy elsewhere: nothing is lost.';
  const accepted = await confirm(`Remove ${volume.url} at once?`, `For a volume that is gone for good. Its `
      + `${count(volume.blobs)} copies are made again from the other volumes while the master serves. ${loss}`,
      lost.count > 0);
  if (accepted) {
    await change('../admin/volumes/remove', {url: volume.url, acceptLoss: lost.count > 0},
        `Removing ${volume.url}: the copies it held are being made again.`);
  }
}

async function replicas(event) {
  event.preventDefault();
  const wanted = Number(document.getElementById('replicas-input').value);
  const now = last ? last.replicas : 0;
  const keys = last ? Math.max(0, last.keys) : 0;
  const delta = wanted - now;
  const what = delta > 0 ? `${count(keys * delta)} copies are written (${delta} more per key)`
      : delta < 0 ? `${count(keys * -delta)} copies are deleted (${-delta} fewer per key)` : 'nothing moves';
  if (await confirm(`Keep ${wanted} copies of each value?`, `From ${now} to ${wanted} copies of each of the ${count(keys)} `
      + `keys: ${what}, while the master serves. Set replicas in the config file to match before its next restart.`)) {
    await change('../admin/replicas', {replicas: wanted}, `Changing to ${wanted} copies per value: the migration runs.`);
  }
}

async function verify(event) {
  event.preventDefault();
  const keys = last ? Math.max(0, last.keys) : 0;
  if (await confirm('Start a verify?', `Every volume lists its blobs and the master compares them with the index's `
      + `${count(keys)} keys: missing or damaged copies are made again from good ones, blobs no key names are removed. `
      + 'Nothing moves otherwise; the master serves throughout.')) {
    await change('../admin/verify', undefined, 'The verify runs.');
  }
}

export async function refresh() {
  render(await getJson('../admin/status'));
}

export function init() {
  document.getElementById('add-form').addEventListener('submit', add);
  document.getElementById('replicas-form').addEventListener('submit', replicas);
  document.getElementById('verify-form').addEventListener('submit', verify);
}
