// The page itself: its views, its message line, the confirmation dialog and the admin token.

import {describe, forgetToken, token, useToken} from './api.js';

const VIEWS = ['cluster', 'activity', 'work', 'keys'];
const listeners = [];

export function onView(listener) {
  listeners.push(listener);
}

export function showView(name) {
  if (location.hash !== '#' + name) {
    location.hash = name; // the hashchange shows it
    return;
  }
  for (const view of VIEWS) {
    document.getElementById('view-' + view).hidden = view !== name;
    document.querySelector(`nav a[data-view="${view}"]`).classList.toggle('current', view === name);
  }
  listeners.forEach(listener => listener(name));
}

export function currentView() {
  const name = location.hash.slice(1);
  return VIEWS.includes(name) ? name : 'cluster';
}

let hideTimer = null;

/** A line under the header: 'error' stays until the next message, 'info' goes after a while. */
export function say(text, kind) {
  const message = document.getElementById('message');
  message.textContent = text;
  message.className = kind;
  message.hidden = false;
  clearTimeout(hideTimer);
  if (kind === 'info') {
    hideTimer = setTimeout(() => {
      message.hidden = true;
    }, 8000);
  }
}

/**
 * Asks before a change, saying what it will do; answers whether to go ahead. With {@code acceptLoss},
 * the box that accepts the loss must be ticked first.
 */
export function confirm(title, text, acceptLoss = false) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  const accept = document.getElementById('confirm-accept');
  const box = document.getElementById('confirm-accept-box');
  const ok = document.getElementById('confirm-ok');
  accept.hidden = !acceptLoss;
  box.checked = false;
  ok.disabled = acceptLoss;
  box.onchange = () => {
    ok.disabled = acceptLoss && !box.checked;
  };
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise(resolve => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), {once: true}));
}

function showToken() {
  const held = token() !== null;
  const state = document.getElementById('token-state');
  state.textContent = held ? 'admin token set' : 'read only';
  state.className = held ? 'set' : '';
  document.getElementById('token').hidden = held;
  document.getElementById('token-use').hidden = held;
  document.getElementById('token-forget').hidden = !held;
  for (const button of document.querySelectorAll('button.needs-token')) {
    button.disabled = !held;
    button.title = held ? '' : 'needs the admin token (top right)';
  }
}

export function initPage() {
  window.addEventListener('hashchange', () => showView(currentView()));
  document.getElementById('token-form').addEventListener('submit', async event => {
    event.preventDefault();
    const input = document.getElementById('token');
    try {
      await useToken(input.value.trim());
      input.value = '';
      say('Admin token accepted; it is kept for this browser session only.', 'info');
    } catch (error) {
      say(describe(error), 'error');
    }
    showToken();
  });
  document.getElementById('token-forget').addEventListener('click', () => {
    forgetToken();
    showToken();
  });
  document.addEventListener('tdkvs:rendered', showToken);
  showToken();
  showView(currentView());
}
