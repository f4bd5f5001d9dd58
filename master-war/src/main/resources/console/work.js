// Work in progress: the migration and the verify as progress bars, and the work since the master started.

import {getJson} from './api.js';
import {cell, count, duration, time} from './format.js';

function badge(id, state) {
  const element = document.getElementById(id);
  element.textContent = state;
  element.className = 'badge ' + state;
}

export function renderMigration(migration) {
  badge('migration-state', migration.state);
  document.getElementById('migration-description').textContent = migration.description || 'no migration since the start';
  const bar = document.getElementById('migration-bar');
  bar.max = Math.max(1, migration.total);
  bar.value = migration.state === 'done' ? bar.max : migration.moved;
  const figures = [`${count(migration.moved)} / ${count(migration.total)} keys moved`];
  if (migration.state === 'running' || migration.state === 'paused') {
    figures.push(`${count(Math.round(migration.keysPerSecond))} keys/s`, 'ETA ' + duration(migration.etaSeconds));
  } else if (migration.started) {
    figures.push(`in ${duration(migration.seconds)}`, `${count(Math.round(migration.keysPerSecond))} keys/s`);
  }
  if (migration.errors > 0) {
    figures.push(`${count(migration.errors)} errors`);
  }
  document.getElementById('migration-figures').textContent = figures.join(' · ');
  document.getElementById('migration-message').textContent =
      migration.state === 'paused' ? 'paused: ' + (migration.message || 'a volume does not answer') : migration.message || '';
}

export function renderVerify(verify, keysInIndex) {
  badge('verify-state', verify.state);
  document.getElementById('verify-volumes').textContent =
      verify.volumes.length ? 'volumes ' + verify.volumes.join(', ') : 'no verify since the start';
  const bar = document.getElementById('verify-bar');
  bar.max = Math.max(1, keysInIndex, verify.keys);
  bar.value = verify.state === 'running' ? verify.keys : verify.state === 'idle' ? 0 : bar.max;
  document.getElementById('verify-figures').textContent = [`${count(verify.keys)} keys checked`,
    `${count(verify.copies)} copies`, `${count(verify.missing)} missing`, `${count(verify.damaged)} damaged`,
    `${count(verify.repaired)} repaired`, `${count(verify.repairsPending)} repairs pending`,
    `${count(verify.unrepairable)} unrepairable`, `${count(verify.orphans)} orphans removed`,
    verify.started ? 'started ' + time(verify.started) : ''].filter(Boolean).join(' · ');
  document.getElementById('verify-message').textContent = verify.message || '';
}

export function renderHistory(work) {
  const rows = work.slice().reverse().map(entry => {
    const tr = document.createElement('tr');
    const keys = entry.kind === 'migration' ? `${count(entry.done)} / ${count(entry.total)} moved` : `${count(entry.done)} checked`;
    tr.append(cell(time(entry.ended)), cell(entry.kind + (entry.description ? ': ' + entry.description : '')),
        cell(entry.state, entry.state === 'failed' ? 'status-down' : 'status-up'), cell(keys), cell(entry.message || ''));
    return tr;
  });
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    tr.append(cell('no migration or verify has ended since the master started'));
    tr.firstChild.colSpan = 5;
    rows.push(tr);
  }
  document.querySelector('#work-history tbody').replaceChildren(...rows);
}

export async function refresh(keysInIndex) {
  const [migration, verify] = await Promise.all([getJson('../admin/migration'), getJson('../admin/verify')]);
  renderMigration(migration);
  renderVerify(verify, keysInIndex);
}
