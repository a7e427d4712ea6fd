/** The sign-in form. */

import { h } from '../../shared/dom.js';
import { api, type ApiError, messageOf } from './api.js';
import { closeSocket } from './socket.js';
import { appRoot, state } from './state.js';
import { t } from './strings.js';
import type { Agent } from './types.js';

/** Shows the form; `signedIn` takes over once the server accepts the credentials. */
export function renderLogin(signedIn: (agent: Agent) => Promise<void>, error?: string): void {
  closeSocket();
  const email = h('input', { id: 'email', type: 'email', autocomplete: 'username', required: true, 'data-testid': 'login-email' });
  const password = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
  const message = h('p', { class: 'error', role: 'alert' }, error || '');
  const submit = async (e: Event) => {
    e.preventDefault();
    message.textContent = t('signing_in');
    try {
      const data = await api<{ agent: Agent; csrfToken: string }>('POST', '/login', { email: email.value, password: password.value });
      state.csrf = data.csrfToken;
      await signedIn(data.agent);
    } catch (err) {
      message.textContent = (err as ApiError).status === 401 ? t('bad_credentials') : messageOf(err);
    }
  };
  const form = h(
    'form',
    { class: 'login', onsubmit: submit },
    h('h1', {}, t('sign_in_title')),
    h('label', { for: 'email' }, t('email')),
    email,
    h('label', { for: 'password' }, t('password')),
    password,
    h('button', { class: 'primary', type: 'submit', 'data-testid': 'login-submit' }, t('sign_in')),
    message,
  );
  appRoot().replaceChildren(form);
  email.focus();
}
