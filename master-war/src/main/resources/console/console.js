// The console's start: it wires the views and keeps them fresh while they are shown.

import {describe, getJson} from './api.js';
import * as activity from './activity.js';
import * as cluster from './cluster.js';
import * as keys from './keys.js';
import {currentView, initPage, onView, say} from './page.js';
import * as work from './work.js';

const STATUS_MILLIS = 2000;
const HISTORY_MILLIS = 5000;
let keysInIndex = 0;
let masterAnswered = true;

async function poll(task, millis) {
  try {
    await task();
    if (!masterAnswered) {
      masterAnswered = true;
      document.getElementById('message').hidden = true;
    }
  } catch (error) {
    masterAnswered = false;
    say(describe(error), 'error');
  }
  setTimeout(() => poll(task, millis), millis);
}

async function status() {
  const now = await getJson('../admin/status');
  keysInIndex = Math.max(0, now.keys);
  cluster.render(now);
  if (currentView() === 'work') {
    await work.refresh(keysInIndex);
  }
}

async function history() {
  if (currentView() !== 'activity' && currentView() !== 'work') {
    return;
  }
  const figures = await getJson('../admin/history');
  if (currentView() === 'activity') {
    activity.render(figures);
  }
  work.renderHistory(figures.work);
}

onView(view => {
  if (view === 'keys') {
    keys.open();
  } else if (view === 'activity' || view === 'work') {
    history().catch(error => say(describe(error), 'error'));
    if (view === 'work') {
      work.refresh(keysInIndex).catch(error => say(describe(error), 'error'));
    }
  }
});

cluster.init();
keys.init();
initPage();
poll(status, STATUS_MILLIS);
poll(history, HISTORY_MILLIS);
