/*!
 * Parley agent console. Plain ES2020, no build step, no dependencies.
 * Talks only to the documented Console API (docs/api.md): /console/api/* and /console/socket.
 */
(() => {
  'use strict';

  const API = '/console/api';
  const state = {
    agent: null,
    csrf: '',
    strings: {},
    lang: navigator.language || 'en',
    queue: [],
    agents: [],
    teams: [],
    canned: [],
    current: null, // conversation view
    currentId: null,
    mode: 'reply', // or 'note'
    view: 'work', // or 'admin'
    adminTab: 'agents',
    typingTimer: null,
    shopperTyping: false,
    socket: null,
    retry: 0,
  };
  const app = document.getElementById('app');

  // ---------------------------------------------------------------- utilities
  function t(key, vars) {
    const value = key.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), state.strings);
    const text = typeof value === 'string' ? value : key;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => (vars && vars[name] !== undefined ? String(vars[name]) : ''));
  }

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(5)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
    return el;
  }

  async function api(method, path, body) {
    const res = await fetch(API + path, {
      method,
      credentials: 'same-origin',
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(method !== 'GET' ? { 'x-csrf-token': state.csrf } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const data = await res.json().catch(() => ({}));
    if (res.status === 401 && path !== '/login') {
      state.agent = null;
      renderLogin();
    }
    if (!res.ok) throw Object.assign(new Error(data.message || res.statusText), { status: res.status, code: data.error });
    return data;
  }

  function toast(text) {
    const el = h('div', { class: 'toast', role: 'status' }, text);
    document.body.append(el);
    setTimeout(() => el.remove(), 3000);
  }

  function languageName(code) {
    try {
      return new Intl.DisplayNames([state.lang], { type: 'language' }).of(code) || code;
    } catch {
      return code;
    }
  }

  function waited(ms) {
    const minutes = Math.floor((ms || 0) / 60000);
    return minutes < 1 ? t('just_now') : t('minutes', { count: minutes });
  }

  function time(at) {
    return new Intl.DateTimeFormat(state.lang, { hour: '2-digit', minute: '2-digit' }).format(new Date(at));
  }

  async function loadStrings(lang) {
    const base = await fetch(`${API}/strings/en`)
      .then((r) => r.json())
      .catch(() => ({ strings: {} }));
    const own =
      lang && !/^en\b/i.test(lang)
        ? await fetch(`${API}/strings/${encodeURIComponent(lang)}`)
            .then((r) => (r.ok ? r.json() : null))
            .catch(() => null)
        : null;
    state.strings = deepMerge(base.strings || {}, own ? own.strings : {});
    state.lang = own ? own.language : 'en';
    document.documentElement.lang = state.lang;
    document.documentElement.dir = /^(ar|he|fa|ur)\b/.test(state.lang) ? 'rtl' : 'ltr';
    document.title = t('app_title');
  }

  function deepMerge(a, b) {
    const out = { ...a };
    for (const [k, v] of Object.entries(b || {})) out[k] = v && typeof v === 'object' && !Array.isArray(v) ? deepMerge(a[k] || {}, v) : v;
    return out;
  }

  // ---------------------------------------------------------------- sign-in
  function renderLogin(error) {
    closeSocket();
    const email = h('input', { id: 'email', type: 'email', autocomplete: 'username', required: true, 'data-testid': 'login-email' });
    const password = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
    const message = h('p', { class: 'error', role: 'alert' }, error || '');
    const form = h(
      'form',
      {
        class: 'login',
        onsubmit: async (e) => {
          e.preventDefault();
          message.textContent = t('signing_in');
          try {
            const data = await api('POST', '/login', { email: email.value, password: password.value });
            state.csrf = data.csrfToken;
            await start(data.agent);
          } catch (err) {
            message.textContent = err.status === 401 ? t('bad_credentials') : err.message;
          }
        },
      },
      h('h1', {}, t('sign_in_title')),
      h('label', { for: 'email' }, t('email')),
      email,
      h('label', { for: 'password' }, t('password')),
      password,
      h('button', { class: 'primary', type: 'submit', 'data-testid': 'login-submit' }, t('sign_in')),
      message,
    );
    app.replaceChildren(form);
    email.focus();
  }

  async function start(agent) {
    state.agent = agent;
    await loadStrings(agent.language);
    const [agents, teams, canned] = await Promise.all([api('GET', '/agents'), api('GET', '/teams'), api('GET', '/canned')]);
    state.agents = agents.agents;
    state.teams = teams.teams;
    state.canned = canned.replies;
    renderShell();
    openSocket();
    refreshQueue();
  }

  // ---------------------------------------------------------------- shell
  const ui = {};
  function renderShell() {
    const a = state.agent;
    const status = h('button', { type: 'button', 'aria-pressed': 'true', 'data-testid': 'status', onclick: toggleAway }, t('status_online'));
    ui.status = status;
    const langSelect = h(
      'select',
      { 'aria-label': t('language'), onchange: (e) => changeLanguage(e.target.value) },
      ['en', 'zh-CN', 'zh-TW', 'es', 'de', 'fr', 'pt-BR', 'ja', 'ko', 'ru', 'ar', 'id', 'th', 'vi', 'tr'].map((code) =>
        h('option', { value: code, selected: code === a.language }, languageName(code)),
      ),
    );
    const top = h(
      'header',
      { class: 'top' },
      h('h1', {}, t('app_title')),
      a.role === 'admin'
        ? h(
            'button',
            {
              type: 'button',
              'data-testid': 'admin-toggle',
              'aria-pressed': String(state.view === 'admin'),
              onclick: () => switchView(state.view === 'admin' ? 'work' : 'admin'),
            },
            state.view === 'admin' ? t('console_view') : t('admin'),
          )
        : null,
      h('span', { class: 'spacer' }),
      h('span', { 'data-testid': 'agent-name' }, a.name),
      status,
      langSelect,
      h('button', { type: 'button', title: t('shortcuts'), onclick: showShortcuts }, '?'),
      h('button', { type: 'button', onclick: signOut }, t('sign_out')),
    );
    ui.queuePane = h('nav', { class: 'pane', 'aria-label': t('queue_waiting') });
    ui.center = h('section', { class: 'conv', 'aria-label': t('conversation') });
    ui.side = h('aside', { class: 'pane side', 'aria-label': t('shopper') });
    ui.admin = h('section', { class: 'admin' });
    const work = h('div', { class: 'work' }, ui.queuePane, ...(state.view === 'admin' ? [ui.admin] : [ui.center, ui.side]));
    app.replaceChildren(h('div', { class: 'shell' }, top, work));
    renderQueue();
    if (state.view === 'admin') renderAdmin();
    else renderConversation();
  }

  function switchView(view) {
    state.view = view;
    renderShell();
  }

  async function toggleAway() {
    const away = ui.status.getAttribute('aria-pressed') === 'true';
    await api('PATCH', '/me', { status: away ? 'away' : 'online' });
    ui.status.setAttribute('aria-pressed', String(!away));
    ui.status.textContent = away ? t('status_away') : t('status_online');
  }

  async function changeLanguage(language) {
    const data = await api('PATCH', '/me', { language });
    state.agent = data.agent;
    await loadStrings(language);
    if (!state.currentId) state.canned = (await api('GET', '/canned')).replies;
    sendFrame({ type: 'watch', conversationId: state.currentId });
    renderShell();
    if (state.currentId) openConversation(state.currentId);
  }

  async function signOut() {
    await api('POST', '/logout').catch(() => undefined);
    state.agent = null;
    renderLogin();
  }

  // ---------------------------------------------------------------- queue
  async function refreshQueue() {
    const data = await api('GET', '/queue').catch(() => null);
    if (data) {
      state.queue = data.queue;
      renderQueue();
    }
  }

  function queueItem(entry) {
    const hot = entry.reason === 'emotion' || entry.reason === 'repeated_complaint' || entry.reason === 'vip';
    return h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          'aria-current': String(entry.conversationId === state.currentId),
          'data-testid': 'queue-item',
          'data-conversation': entry.conversationId,
          onclick: () => openConversation(entry.conversationId),
        },
        h(
          'span',
          { class: 'row' },
          h('span', { class: 'badge' }, entry.channelId),
          h('span', { class: 'badge', title: languageName(entry.language || '') }, entry.language || '?'),
          entry.reason ? h('span', { class: `badge${hot ? ' hot' : ''}` }, t(`reason.${entry.reason.split(':')[0]}`)) : null,
          h('span', {}, t('waiting_for', { time: waited(entry.waitingMs) })),
          entry.unread ? h('span', { class: 'dot', 'aria-label': t('new_messages') }) : null,
        ),
        h('span', { class: 'preview' }, entry.preview || '…'),
        entry.agentId ? h('span', { class: 'row' }, t('assigned_to', { name: agentName(entry.agentId) })) : null,
      ),
    );
  }

  function renderQueue() {
    if (!ui.queuePane) return;
    const waiting = state.queue.filter((q) => q.state === 'awaiting_agent');
    const mine = state.queue.filter((q) => q.state === 'assigned' && q.agentId === state.agent.id);
    const others = state.queue.filter((q) => q.state === 'assigned' && q.agentId !== state.agent.id);
    const list = (items) =>
      items.length ? h('ul', { class: 'queue' }, items.map(queueItem)) : h('p', { class: 'muted', style: 'margin:0 12px' }, t('queue_empty'));
    ui.queuePane.replaceChildren(
      h('h2', { id: 'q-waiting' }, `${t('queue_waiting')} (${waiting.length})`),
      h('div', { 'data-testid': 'queue-waiting' }, list(waiting)),
      h('h2', {}, `${t('queue_mine')} (${mine.length})`),
      h('div', { 'data-testid': 'queue-mine' }, list(mine)),
      ...(others.length ? [h('h2', {}, `${t('queue_others')} (${others.length})`), list(others)] : []),
    );
  }

  function agentName(id) {
    return (state.agents.find((a) => a.id === id) || {}).name || id.slice(0, 8);
  }

  // ---------------------------------------------------------------- conversation
  async function openConversation(id) {
    if (state.view !== 'work') switchView('work');
    state.currentId = id;
    const entry = state.queue.find((q) => q.conversationId === id);
    if (entry) entry.unread = false;
    sendFrame({ type: 'watch', conversationId: id });
    renderQueue();
    try {
      state.current = await api('GET', `/conversations/${encodeURIComponent(id)}`);
      // Canned replies with their text in this shopper's language, where the shop has one.
      const language = state.current.conversation.language;
      state.canned = (await api('GET', `/canned?language=${encodeURIComponent(language)}`)).replies;
    } catch (err) {
      toast(err.message);
      return;
    }
    state.replyLanguage = null;
    state.shopperTyping = false;
    renderConversation();
    ui.input?.focus();
  }

  async function reloadConversation() {
    if (!state.currentId) return;
    state.current = await api('GET', `/conversations/${encodeURIComponent(state.currentId)}`).catch(() => state.current);
    renderConversation(true);
  }

  function renderConversation(keepDraft) {
    if (!ui.center) return;
    const c = state.current;
    if (!c) {
      ui.center.replaceChildren(h('p', { class: 'empty' }, t('no_conversation')));
      ui.side.replaceChildren();
      return;
    }
    const draft = keepDraft && ui.input ? ui.input.value : '';
    const conv = c.conversation;
    const mine = conv.state === 'assigned' && conv.agentId === state.agent.id;
    const owned = conv.state === 'assigned' || conv.state === 'awaiting_agent';
    const head = h(
      'div',
      { class: 'conv-head' },
      h(
        'span',
        { class: 'title' },
        `${conv.channelId} · ${languageName(conv.language)} · `,
        h('span', { 'data-testid': 'conv-state' }, t(`state.${conv.state}`)),
      ),
      !mine ? h('button', { type: 'button', class: 'primary', 'data-testid': 'take', onclick: () => action('take'), title: 'Alt+T' }, t('take')) : null,
      owned ? transferControl() : null,
      owned ? h('button', { type: 'button', 'data-testid': 'release', onclick: () => action('release'), title: 'Alt+B' }, t('release')) : null,
      owned ? h('button', { type: 'button', 'data-testid': 'resolve', onclick: () => action('resolve'), title: 'Alt+R' }, t('resolve')) : null,
    );
    ui.log = h('div', { class: 'log', role: 'log', 'aria-label': t('conversation'), 'data-testid': 'messages' });
    renderTimeline();
    ui.typing = h('div', { class: 'typing', role: 'status', 'data-testid': 'shopper-typing' }, state.shopperTyping ? t('shopper_typing') : '');
    ui.center.replaceChildren(head, h('div', { style: 'display:flex;flex-direction:column;min-height:0' }, ui.log, ui.typing), composer(draft));
    ui.log.scrollTop = ui.log.scrollHeight;
    renderSide();
  }

  function timelineItems() {
    const c = state.current;
    return [...c.messages.map((m) => ({ at: m.createdAt, seq: m.seq, m })), ...c.notes.map((n) => ({ at: n.createdAt, seq: Number.MAX_SAFE_INTEGER, n }))].sort(
      (a, b) => a.at - b.at || a.seq - b.seq,
    );
  }

  function renderTimeline() {
    ui.log.replaceChildren(...timelineItems().map((item) => (item.m ? messageEl(item.m) : noteEl(item.n))));
  }

  function messageEl(m) {
    const who = m.role === 'agent' && m.agentId ? agentName(m.agentId) : t(`role.${m.role}`);
    const original = h(
      'div',
      { class: 'original', hidden: true, 'data-testid': 'original' },
      h('small', {}, t('original_in', { language: languageName(m.originalLanguage || '') })),
      h('div', { lang: m.originalLanguage || null }, m.original),
    );
    const tools = [];
    if (m.translated || m.untranslated) {
      const toggle = h(
        'button',
        {
          type: 'button',
          'aria-expanded': 'false',
          'data-testid': 'show-original',
          onclick: () => {
            const open = original.hidden;
            original.hidden = !open;
            toggle.setAttribute('aria-expanded', String(open));
            toggle.textContent = open ? t('hide_original') : t('show_original');
          },
        },
        t('show_original'),
      );
      tools.push(toggle);
    }
    if (m.flaggable) tools.push(h('button', { type: 'button', class: 'danger', onclick: () => flagAnswer(m) }, t('flag_wrong')));
    return h(
      'div',
      { class: `msg ${m.role}`, 'data-testid': `msg-${m.role}`, 'data-id': m.id },
      h(
        'div',
        { class: 'who' },
        who,
        h('span', { class: 'muted' }, time(m.createdAt)),
        m.untranslated
          ? h('span', { class: 'error', 'data-testid': 'untranslated' }, `${t('untranslated')} · ${languageName(m.originalLanguage || '')}`)
          : null,
      ),
      h('div', { class: 'text', lang: m.translated ? state.lang : m.originalLanguage || null, 'data-testid': 'text' }, m.text || m.original),
      m.choices ? h('div', { class: 'choices' }, `[${m.choices.join('] [')}]`) : null,
      tools.length ? h('div', { class: 'tools' }, tools) : null,
      original,
    );
  }

  function noteEl(n) {
    return h(
      'div',
      { class: 'msg note', 'data-testid': 'note' },
      h('div', { class: 'who' }, `${t('role.note')} · ${n.agentName || agentName(n.agentId)}`, h('span', { class: 'muted' }, time(n.createdAt))),
      h('div', {}, n.text),
    );
  }

  function transferControl() {
    const others = state.agents.filter((a) => a.id !== state.agent.id && !a.disabled);
    const select = h(
      'select',
      { 'aria-label': t('transfer_to'), 'data-testid': 'transfer-to' },
      h('option', { value: '' }, t('transfer_to')),
      others.map((a) => h('option', { value: `agent:${a.id}` }, `${a.name}${a.online ? ' ●' : ''}`)),
      state.teams.map((team) => h('option', { value: `team:${team.id}` }, `${t('team')}: ${team.name}`)),
    );
    return h(
      'span',
      {},
      select,
      ' ',
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'transfer',
          onclick: async () => {
            const [kind, id] = select.value.split(':');
            if (!id) return select.focus();
            await action('transfer', kind === 'agent' ? { agentId: id } : { teamId: id });
          },
        },
        t('transfer'),
      ),
    );
  }

  async function action(name, body) {
    if (!state.currentId) return;
    try {
      await api('POST', `/conversations/${encodeURIComponent(state.currentId)}/${name}`, body || {});
      await Promise.all([reloadConversation(), refreshQueue()]);
    } catch (err) {
      toast(err.message);
    }
  }

  function composer(draft) {
    const noteMode = state.mode === 'note';
    ui.input = h('textarea', {
      'aria-label': noteMode ? t('note_label') : t('reply_label'),
      placeholder: noteMode ? t('note_placeholder') : t('reply_placeholder'),
      'data-testid': 'reply-input',
      oninput: onDraft,
      onkeydown: (e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submit();
        }
      },
    });
    ui.input.value = draft || '';
    ui.preview = h('div', { class: 'preview-box', 'aria-live': 'polite', 'data-testid': 'preview', hidden: true });
    // A canned reply the shop wrote in the shopper's language goes out as written (value
    // "shopper:<id>"); one in the agent's language is translated like anything they type.
    const canned = h(
      'select',
      {
        'aria-label': t('canned_label'),
        'data-testid': 'canned',
        onchange: (e) => {
          const [, inShopperLanguage, id] = /^(shopper:)?(.*)$/.exec(e.target.value);
          const reply = state.canned.find((r) => r.id === id);
          if (reply) {
            const text = inShopperLanguage ? reply.shopper.text : reply.text;
            if (inShopperLanguage && !ui.input.value.trim()) state.replyLanguage = reply.shopper.language;
            else if (!inShopperLanguage && !ui.input.value.trim()) state.replyLanguage = null;
            ui.input.value = ui.input.value ? `${ui.input.value}\n${text}` : text;
            onDraft();
            ui.input.focus();
          }
          e.target.value = '';
        },
      },
      h('option', { value: '' }, t('canned_pick')),
      state.canned.map((r) => h('option', { value: r.id }, r.title)),
      state.canned
        .filter((r) => r.shopper)
        .map((r) => h('option', { value: `shopper:${r.id}`, lang: r.shopper.language }, `${r.title} · ${languageName(r.shopper.language)}`)),
    );
    const modeButton = h(
      'button',
      { type: 'button', 'aria-pressed': String(noteMode), 'data-testid': 'note-mode', title: 'Alt+N', onclick: toggleMode },
      noteMode ? t('mode_reply') : t('mode_note'),
    );
    return h(
      'form',
      { class: `composer${noteMode ? ' note-mode' : ''}`, onsubmit: (e) => (e.preventDefault(), submit()) },
      ui.input,
      ui.preview,
      h(
        'div',
        { class: 'bar' },
        canned,
        modeButton,
        h('span', { class: 'muted', style: 'margin-inline-start:auto;font-size:12px' }, 'Ctrl+Enter'),
        h('button', { class: 'primary', type: 'submit', 'data-testid': 'send' }, noteMode ? t('add_note') : t('send')),
      ),
    );
  }

  function toggleMode() {
    state.mode = state.mode === 'note' ? 'reply' : 'note';
    renderConversation(true);
    ui.input.focus();
  }

  let previewTimer = null;
  let typingSentAt = 0;
  function onDraft() {
    const text = ui.input.value.trim();
    clearTimeout(previewTimer);
    if (state.mode !== 'reply' || !text) {
      ui.preview.hidden = true;
      if (!text) state.replyLanguage = null;
      return;
    }
    const now = Date.now();
    if (now - typingSentAt > 3000) {
      typingSentAt = now;
      sendFrame({ type: 'typing', conversationId: state.currentId, on: true });
    }
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(stopTyping, 4000);
    previewTimer = setTimeout(async () => {
      try {
        const { preview } = await api('POST', `/conversations/${encodeURIComponent(state.currentId)}/preview`, {
          text,
          ...(state.replyLanguage ? { language: state.replyLanguage } : {}),
        });
        if (ui.input.value.trim() !== text) return;
        ui.preview.hidden = false;
        ui.preview.replaceChildren(
          h('b', {}, t('preview_label', { language: languageName(preview.language) })),
          ' ',
          h('span', { lang: preview.language, 'data-testid': 'preview-text' }, preview.text),
          ...(preview.untranslated ? [h('span', { class: 'error' }, ` ${t('untranslated')}`)] : []),
        );
      } catch {
        ui.preview.hidden = true;
      }
    }, 350);
  }

  function stopTyping() {
    if (!typingSentAt) return;
    typingSentAt = 0;
    sendFrame({ type: 'typing', conversationId: state.currentId, on: false });
  }

  async function submit() {
    const text = ui.input.value.trim();
    if (!text || !state.currentId) return;
    const path = `/conversations/${encodeURIComponent(state.currentId)}/${state.mode === 'note' ? 'notes' : 'messages'}`;
    ui.input.value = '';
    ui.preview.hidden = true;
    stopTyping();
    try {
      const language = state.mode === 'reply' && state.replyLanguage ? { language: state.replyLanguage } : {};
      state.replyLanguage = null;
      await api('POST', path, { text, clientId: `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, ...language });
      await reloadConversation();
    } catch (err) {
      ui.input.value = text;
      toast(err.message);
    }
  }

  async function flagAnswer(m) {
    const dialog = h('dialog', { 'aria-label': t('flag_title') });
    const body = h('textarea', { rows: 6, style: 'width:100%', placeholder: t('flag_placeholder'), 'aria-label': t('proposed_answer') });
    dialog.append(
      h('h2', {}, t('flag_title')),
      h('p', { class: 'muted' }, m.text),
      body,
      h(
        'p',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            onclick: async () => {
              if (!body.value.trim()) return body.focus();
              try {
                await api('POST', '/kb/proposals', { conversationId: state.currentId, messageId: m.id, body: body.value.trim() });
                toast(t('flag_sent'));
                dialog.close();
              } catch (err) {
                toast(err.message);
              }
            },
          },
          t('flag_submit'),
        ),
        ' ',
        h('button', { type: 'button', onclick: () => dialog.close() }, t('close')),
      ),
    );
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    body.focus();
  }

  function renderSide() {
    const c = state.current;
    const conv = c.conversation;
    const identities = c.shopper.identities;
    ui.side.replaceChildren(
      h('h2', {}, t('shopper')),
      h(
        'dl',
        { 'data-testid': 'shopper-info' },
        h('dt', {}, t('channel')),
        h('dd', {}, conv.channelId),
        h('dt', {}, t('shopper_language')),
        h('dd', {}, `${languageName(conv.language)} (${conv.language})`),
        h('dt', {}, t('status')),
        h('dd', {}, t(`state.${conv.state}`)),
        conv.agentName ? [h('dt', {}, t('agent')), h('dd', {}, conv.agentName)] : null,
        conv.reason ? [h('dt', {}, t('handoff_reason')), h('dd', {}, t(`reason.${conv.reason.split(':')[0]}`))] : null,
        c.shopper.customerRef ? [h('dt', {}, t('customer_ref')), h('dd', {}, c.shopper.customerRef)] : null,
      ),
      h('h2', {}, t('identities')),
      h(
        'ul',
        {},
        identities.map((i) => h('li', {}, `${i.channelId}: ${i.userId.length > 18 ? `${i.userId.slice(0, 18)}…` : i.userId}`)),
      ),
      h('h2', {}, t('orders')),
      c.shopper.orders.length ? h('ul', { 'data-testid': 'shopper-orders' }, c.shopper.orders.map(orderItem)) : h('p', { class: 'muted' }, t('orders_empty')),
    );
  }

  // Read-only: id, status, total and, when the carrier gave one, the tracking link.
  function orderItem(o) {
    const link = /^https?:\/\//i.test(o.trackingUrl || '')
      ? h('a', { href: o.trackingUrl, target: '_blank', rel: 'noopener noreferrer' }, o.carrier || '↗')
      : null;
    return h('li', {}, `${o.id} · ${o.status} · ${o.total}`, link ? [' · ', link] : null);
  }

  // ---------------------------------------------------------------- admin
  async function renderAdmin() {
    const tabs = ['agents', 'teams', 'kb', 'ratings'];
    const nav = h(
      'nav',
      { role: 'tablist' },
      tabs.map((tab) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            'aria-selected': String(state.adminTab === tab),
            'data-testid': `admin-tab-${tab}`,
            onclick: () => {
              state.adminTab = tab;
              renderAdmin();
            },
          },
          t(`admin_${tab}`),
        ),
      ),
    );
    const panel = h('div', { role: 'tabpanel' }, h('p', { class: 'muted' }, '…'));
    ui.admin.replaceChildren(nav, panel);
    try {
      panel.replaceChildren(await adminPanels[state.adminTab]());
    } catch (err) {
      panel.replaceChildren(h('p', { class: 'error' }, err.message));
    }
  }

  const field = (label, input) => h('label', {}, label, input);
  const list = (value) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const adminPanels = {
    async agents() {
      const { agents } = await api('GET', '/agents');
      state.agents = agents;
      const rows = agents.map((a) =>
        h(
          'tr',
          {},
          h('td', {}, a.name, h('br'), h('small', { class: 'muted' }, a.email)),
          h('td', {}, a.role),
          h('td', {}, a.language),
          h('td', {}, a.languages.join(', ')),
          h('td', {}, a.skills.join(', ')),
          h('td', {}, a.teamId || '—'),
          h('td', {}, String(a.capacity)),
          h('td', {}, a.online ? t('status_online') : '—'),
          h(
            'td',
            {},
            a.id === state.agent.id
              ? ''
              : h(
                  'button',
                  {
                    type: 'button',
                    onclick: async () => {
                      await api('PATCH', `/agents/${a.id}`, { disabled: !a.disabled });
                      renderAdmin();
                    },
                  },
                  a.disabled ? t('enable') : t('disable'),
                ),
          ),
        ),
      );
      const f = {
        email: h('input', { type: 'email', required: true }),
        name: h('input', { required: true }),
        password: h('input', { type: 'password', required: true, minlength: 10 }),
        role: h('select', {}, h('option', { value: 'agent' }, t('role_agent')), h('option', { value: 'admin' }, t('role_admin'))),
        language: h('input', { value: 'en', size: 6 }),
        languages: h('input', { placeholder: 'en, es', size: 10 }),
        skills: h('input', { size: 10 }),
        team: h(
          'select',
          {},
          h('option', { value: '' }, '—'),
          state.teams.map((x) => h('option', { value: x.id }, x.name)),
        ),
        capacity: h('input', { type: 'number', value: '5', min: 0, max: 50, style: 'width:5em' }),
      };
      const form = h(
        'form',
        {
          onsubmit: async (e) => {
            e.preventDefault();
            try {
              await api('POST', '/agents', {
                email: f.email.value,
                name: f.name.value,
                password: f.password.value,
                role: f.role.value,
                language: f.language.value,
                languages: list(f.languages.value).length ? list(f.languages.value) : undefined,
                skills: list(f.skills.value),
                teamId: f.team.value || null,
                capacity: Number(f.capacity.value),
              });
              toast(t('saved'));
              renderAdmin();
            } catch (err) {
              toast(err.message);
            }
          },
        },
        field(t('email'), f.email),
        field(t('name'), f.name),
        field(t('password'), f.password),
        field(t('role_label'), f.role),
        field(t('language'), f.language),
        field(t('languages'), f.languages),
        field(t('skills'), f.skills),
        field(t('team'), f.team),
        field(t('capacity'), f.capacity),
        h('button', { class: 'primary', type: 'submit' }, t('create_agent')),
      );
      return h(
        'div',
        {},
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [t('name'), t('role_label'), t('language'), t('languages'), t('skills'), t('team'), t('capacity'), t('status'), ''].map((x) => h('th', {}, x)),
            ),
          ),
          h('tbody', {}, rows),
        ),
        form,
      );
    },
    async teams() {
      const { teams } = await api('GET', '/teams');
      state.teams = teams;
      const rows = teams.map((x) =>
        h(
          'tr',
          {},
          h('td', {}, x.id),
          h('td', {}, x.name),
          h('td', {}, (x.languages || []).join(', ')),
          h('td', {}, (x.skills || []).join(', ')),
          h('td', {}, x.timezone),
          h(
            'td',
            {},
            h(
              'pre',
              {},
              Object.entries(x.hours || {})
                .map(([d, r]) => `${d} ${r}`)
                .join('\n') || '24/7',
            ),
          ),
        ),
      );
      const f = {
        id: h('input', { required: true, size: 8 }),
        name: h('input', { required: true }),
        languages: h('input', { size: 10 }),
        skills: h('input', { size: 10 }),
        timezone: h('input', { value: 'UTC', size: 14 }),
        hours: h('input', { placeholder: '09:00-18:00', size: 11 }),
      };
      const form = h(
        'form',
        {
          onsubmit: async (e) => {
            e.preventDefault();
            const range = f.hours.value.trim();
            const hours = range ? Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, range])) : undefined;
            try {
              await api('POST', '/teams', {
                id: f.id.value,
                name: f.name.value,
                languages: list(f.languages.value),
                skills: list(f.skills.value),
                timezone: f.timezone.value,
                ...(hours ? { hours } : {}),
              });
              toast(t('saved'));
              renderAdmin();
            } catch (err) {
              toast(err.message);
            }
          },
        },
        field(t('team_id'), f.id),
        field(t('name'), f.name),
        field(t('languages'), f.languages),
        field(t('skills'), f.skills),
        field(t('timezone'), f.timezone),
        field(t('hours_weekdays'), f.hours),
        h('button', { class: 'primary', type: 'submit' }, t('create_team')),
      );
      return h(
        'div',
        {},
        teams.length
          ? h(
              'table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  [t('team_id'), t('name'), t('languages'), t('skills'), t('timezone'), t('hours')].map((x) => h('th', {}, x)),
                ),
              ),
              h('tbody', {}, rows),
            )
          : h('p', { class: 'muted' }, t('no_teams')),
        form,
      );
    },
    async kb() {
      const { proposals } = await api('GET', '/kb/proposals');
      if (!proposals.length) return h('p', { class: 'muted' }, t('proposals_empty'));
      return h(
        'table',
        { 'data-testid': 'proposals' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('question'), t('wrong_answer'), t('proposed_answer'), t('status'), ''].map((x) => h('th', {}, x)),
          ),
        ),
        h(
          'tbody',
          {},
          proposals.map((p) =>
            h(
              'tr',
              {},
              h('td', {}, p.question),
              h(
                'td',
                {},
                h('pre', {}, (p.wrongAnswer || '').slice(0, 300)),
                p.section ? h('small', { class: 'muted' }, `${t('section')}: ${p.section}`) : null,
              ),
              h('td', {}, h('b', {}, p.title), h('pre', {}, p.body)),
              h('td', {}, t(`proposal.${p.status}`)),
              h(
                'td',
                {},
                p.status === 'open'
                  ? [
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'primary',
                          'data-testid': 'apply',
                          onclick: async () => {
                            const res = await api('POST', `/kb/proposals/${p.id}/apply`, {}).catch((err) => toast(err.message));
                            if (res) toast(t('applied'));
                            renderAdmin();
                          },
                        },
                        t('apply'),
                      ),
                      ' ',
                      h(
                        'button',
                        {
                          type: 'button',
                          onclick: async () => {
                            await api('POST', `/kb/proposals/${p.id}/reject`, {});
                            renderAdmin();
                          },
                        },
                        t('reject'),
                      ),
                    ]
                  : '',
              ),
            ),
          ),
        ),
      );
    },
    async ratings() {
      const { ratings, byAgent } = await api('GET', '/ratings');
      if (!ratings.length) return h('p', { class: 'muted' }, t('ratings_empty'));
      return h(
        'div',
        { 'data-testid': 'ratings' },
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [t('agent'), t('count'), t('average')].map((x) => h('th', {}, x)),
            ),
          ),
          h(
            'tbody',
            {},
            byAgent.map((a) => h('tr', {}, h('td', {}, a.name), h('td', {}, String(a.count)), h('td', {}, a.average === null ? '—' : a.average.toFixed(2)))),
          ),
        ),
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [t('when'), t('agent'), t('rating'), t('comment')].map((x) => h('th', {}, x)),
            ),
          ),
          h(
            'tbody',
            {},
            ratings.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, new Date(r.createdAt).toLocaleString(state.lang)),
                h('td', {}, r.agentId ? agentName(r.agentId) : '—'),
                h('td', {}, '★'.repeat(r.rating)),
                h('td', {}, r.comment || ''),
              ),
            ),
          ),
        ),
      );
    },
  };

  // ---------------------------------------------------------------- live socket
  function openSocket() {
    closeSocket();
    const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/console/socket`);
    state.socket = ws;
    ws.onopen = () => {
      state.retry = 0;
      if (state.currentId) sendFrame({ type: 'watch', conversationId: state.currentId });
    };
    ws.onmessage = (e) => onFrame(JSON.parse(e.data));
    ws.onclose = (e) => {
      if (state.socket !== ws || !state.agent) return;
      if (e.code === 4401) return renderLogin();
      state.retry += 1;
      setTimeout(() => state.agent && openSocket(), Math.min(10000, 500 * 2 ** state.retry));
    };
  }

  function closeSocket() {
    const ws = state.socket;
    state.socket = null;
    if (ws) ws.close();
  }

  function sendFrame(frame) {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(frame));
  }

  function onFrame(f) {
    switch (f.type) {
      case 'queue': {
        const unread = new Set(state.queue.filter((q) => q.unread).map((q) => q.conversationId));
        state.queue = f.queue.map((q) => ({ ...q, unread: unread.has(q.conversationId) }));
        return renderQueue();
      }
      case 'activity': {
        const entry = state.queue.find((q) => q.conversationId === f.conversationId);
        if (entry) entry.unread = true;
        return renderQueue();
      }
      case 'messages':
        if (f.conversationId !== state.currentId || !state.current) return;
        for (const m of f.messages) {
          const i = state.current.messages.findIndex((x) => x.id === m.id);
          if (i >= 0) state.current.messages[i] = m;
          else state.current.messages.push(m);
          if (m.role === 'shopper') setShopperTyping(false);
        }
        renderTimeline();
        ui.log.scrollTop = ui.log.scrollHeight;
        return;
      case 'note':
      case 'state':
      case 'assigned':
        if (f.conversationId === state.currentId) return reloadConversation();
        if (f.type === 'assigned' && f.agentId === state.agent.id) toast(t('assigned_to_you'));
        return;
      case 'typing':
        if (f.conversationId === state.currentId) setShopperTyping(f.on);
        return;
    }
  }

  function setShopperTyping(on) {
    state.shopperTyping = on;
    if (ui.typing) ui.typing.textContent = on ? t('shopper_typing') : '';
  }

  // ---------------------------------------------------------------- keyboard
  function showShortcuts() {
    const rows = [
      ['Ctrl+Enter', t('shortcut_send')],
      ['Alt+N', t('shortcut_note')],
      ['Alt+T', t('shortcut_take')],
      ['Alt+B', t('shortcut_release')],
      ['Alt+R', t('shortcut_resolve')],
      ['Alt+↓', t('shortcut_next')],
      ['Alt+↑', t('shortcut_prev')],
      ['?', t('shortcut_help')],
    ];
    const dialog = h(
      'dialog',
      { 'aria-label': t('shortcuts_title') },
      h('h2', {}, t('shortcuts_title')),
      h(
        'table',
        {},
        rows.map(([k, v]) => h('tr', {}, h('td', {}, h('kbd', {}, k)), h('td', {}, v))),
      ),
      h('button', { type: 'button', onclick: () => dialog.close() }, t('close')),
    );
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  }

  function step(delta) {
    const ids = state.queue.map((q) => q.conversationId);
    if (!ids.length) return;
    const i = ids.indexOf(state.currentId);
    openConversation(ids[(i + delta + ids.length) % ids.length]);
  }

  document.addEventListener('keydown', (e) => {
    if (!state.agent) return;
    const typingInField = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || '');
    if (e.key === '?' && !typingInField) return showShortcuts();
    if (!e.altKey) return;
    const keys = {
      n: toggleMode,
      t: () => action('take'),
      b: () => action('release'),
      r: () => action('resolve'),
      ArrowDown: () => step(1),
      ArrowUp: () => step(-1),
    };
    const fn = keys[e.key.length === 1 ? e.key.toLowerCase() : e.key];
    if (fn && (state.currentId || e.key.startsWith('Arrow'))) {
      e.preventDefault();
      fn();
    }
  });

  // ---------------------------------------------------------------- boot
  (async () => {
    await loadStrings(navigator.language);
    try {
      const me = await fetch(`${API}/me`, { credentials: 'same-origin' });
      if (me.ok) {
        const data = await me.json();
        state.csrf = data.csrfToken;
        return start(data.agent);
      }
    } catch {
      // fall through to sign-in
    }
    renderLogin();
  })();
})();
