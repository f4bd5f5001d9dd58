// Talking to the master: JSON reads, changes with the admin token, and errors as readable sentences.

const TOKEN_KEY = 'tdkvs.adminToken'; // sessionStorage: kept for this browser tab's session only

export class Failure extends Error {
  constructor(status, text) {
    super(text);
    this.status = status;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Checks a token with the master; keeps it if the master takes it, else throws the refusal. */
export async function useToken(candidate) {
  const response = await fetch('../admin/token', {headers: {Authorization: 'Bearer ' + candidate}});
  if (!response.ok) {
    throw await failure(response);
  }
  sessionStorage.setItem(TOKEN_KEY, candidate);
}

export async function getJson(path) {
  const response = await fetch(path, {headers: {Accept: 'application/json'}, cache: 'no-store'});
  if (!response.ok) {
    throw await failure(response);
  }
  return response.json();
}

/** A change: the method, the path, a JSON body (or a Blob as it is), sent with the admin token. */
export async function send(method, path, body) {
  const headers = {};
  const held = token();
  if (held) {
    headers.Authorization = 'Bearer ' + held;
  }
  let payload = body;
  if (body !== undefined && !(body instanceof Blob)) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, {method, headers, body: payload});
  if (!response.ok) {
    throw await failure(response);
  }
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : null;
}

async function failure(response) {
  let text = '';
  try {
    text = (await response.text()).trim();
  } catch (ignored) {
    // the body broke off: the status alone says it
  }
  return new Failure(response.status, text || response.statusText);
}

const HINTS = {
  401: 'The admin token was refused',
  403: 'Changes are turned off',
  404: 'Not found',
  409: 'Refused for now',
  503: 'Not available',
};

/** What went wrong, as a sentence for the page. */
export function describe(error) {
  if (error instanceof Failure) {
    const hint = HINTS[error.status] || (error.status >= 500 ? 'The master failed' : 'Refused');
    return `${hint} (${error.status}): ${error.message}`;
  }
  return 'The master does not answer: ' + error.message;
}

/** A key as the query parameter every endpoint takes (any key, whatever its characters). */
export function keyQuery(key) {
  return 'key=' + encodeURIComponent(key);
}
