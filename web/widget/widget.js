/*!
 * Parley web-chat widget. One tag on the shop page is enough:
 *   <script src="https://gateway.example/widget.js" async></script>
 * Optional attributes: data-lang, data-title, data-position (left|right),
 * data-languages ("en,es,zh-CN,ar"), data-color (accent colour).
 * Plain ES2020, no dependencies. Styles live in widget.css next to this file.
 */
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: served as a classic <script>, not a module
  'use strict';
  if (window.__parleyWidget) return;
  window.__parleyWidget = true;

  const script = document.currentScript || [...document.scripts].find((s) => /\/widget\.js(\?|#|$)/.test(s.src));
  if (!script?.src) return;

  const SRC = new URL(script.src, location.href);
  const ORIGIN = SRC.origin;
  const WS_ORIGIN = ORIGIN.replace(/^http/, 'ws');
  const CSS_URL = new URL(`widget.css${SRC.search}`, SRC).href;
  const opts = script.dataset;
  const TOKEN_KEY = 'parley.session';
  const LANG_KEY = 'parley.lang';
  const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb', 'sd', 'ug']);
  const AUTH_ERRORS = new Set(['unauthorized', 'invalid_token', 'session_expired']);
  const AUTH_CLOSE_CODES = new Set([4401, 4403]);
  const WS_FAILURES_BEFORE_HTTP = 3;
  const BACKOFF_CAP_MS = 10_000;

  // Built-in English so the widget works even when the locale fetch fails.
  // Keep in sync with locales/en/widget.json.
  const EN = {
    launcher: 'Open chat',
    launcherUnread: 'Open chat ({{count}} new)',
    title: 'Customer service',
    subtitle: 'We reply in your language',
    close: 'Close',
    language: 'Language',
    conversation: 'Conversation',
    inputLabel: 'Type your message',
    placeholder: 'Type your message…',
    send: 'Send',
    you: 'You',
    bot: 'Assistant',
    agent: 'Agent',
    system: 'Notice',
    typingBot: 'Assistant is typing…',
    typingAgent: 'Agent is typing…',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    sending: 'Sending…',
    error: 'Something went wrong. Please try again.',
    rateLimited: 'You are sending messages too quickly. Please wait a moment.',
    empty: 'Hi! Ask us anything about products, orders or delivery.',
    image: 'Image',
    video: 'Video',
    audio: 'Voice message',
    file: 'File',
    location: 'Location',
    openMap: 'Open map',
    sticker: 'Sticker',
    order: 'Order {{orderId}}',
    view: 'View',
    orderStatus: {
      pending: 'Pending',
      confirmed: 'Confirmed',
      paid: 'Paid',
      processing: 'Processing',
      shipped: 'Shipped',
      out_for_delivery: 'Out for delivery',
      delivered: 'Delivered',
      cancelled: 'Cancelled',
      refunded: 'Refunded',
      returned: 'Returned',
    },
  };

  // ---------------------------------------------------------------- utilities

  const storage = {
    get(key) {
      try {
        return localStorage.getItem(key);
      } catch {
        return null; // storage blocked (sandboxed iframe, privacy mode)
      }
    },
    set(key, value) {
      try {
        if (value == null) localStorage.removeItem(key);
        else localStorage.setItem(key, value);
      } catch {
        // storage blocked: the session simply lasts for this page view
      }
    },
  };

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID(); // absent on plain-http pages
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** Resolves against the gateway; returns null for anything but http(s). */
  function safeUrl(raw) {
    if (typeof raw !== 'string' || !raw) return null;
    try {
      const url = new URL(raw, ORIGIN);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  }

  /** Builds a DOM element. Children that are strings become text nodes, never HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value == null || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Number.POSITIVE_INFINITY)) if (child != null && child !== false) el.append(child);
    return el;
  }

  const ICONS = {
    chat: 'M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2zM7 9h10v2H7zm0-3h10v2H7zm0 6h7v2H7z',
    down: 'M7.41 8.59 12 13.17l4.59-4.58L18 10l-6 6-6-6z',
    close: 'M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z',
    send: 'M2.01 21 23 12 2.01 3 2 10l15 2-15 2z',
    pin: 'M12 2a7 7 0 0 0-7 7c0 5.25 7 13 7 13s7-7.75 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z',
    file: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zm-1 7V3.5L18.5 9z',
    box: 'M21 8 12 3 3 8v8l9 5 9-5zm-9 2.7L6.1 7.5 12 4.3l5.9 3.2z',
  };

  function icon(name) {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', `parley-icon parley-icon-${name}`);
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('d', ICONS[name]);
    svg.append(path);
    return svg;
  }

  // ---------------------------------------------------------------- language

  function normalizeLanguage(raw) {
    let locale;
    try {
      locale = new Intl.Locale(String(raw || 'en').trim());
    } catch {
      return 'en';
    }
    if (locale.language !== 'zh') return locale.language;
    return locale.maximize().script === 'Hant' ? 'zh-TW' : 'zh-CN';
  }

  function languageName(code) {
    const tag = code === 'zh-CN' ? 'zh-Hans' : code === 'zh-TW' ? 'zh-Hant' : code;
    try {
      const name = new Intl.DisplayNames([code], { type: 'language' }).of(tag) || code;
      return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
    } catch {
      return code;
    }
  }

  function lookup(obj, key) {
    return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), obj);
  }

  function t(key, vars) {
    const found = lookup(state.strings, key);
    const text = typeof found === 'string' ? found : lookup(EN, key);
    if (typeof text !== 'string') return key;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => (vars && name in vars ? String(vars[name]) : ''));
  }

  const stringsCache = new Map();

  async function fetchStrings(lang) {
    if (lang === 'en') return EN;
    if (stringsCache.has(lang)) return stringsCache.get(lang);
    try {
      const res = await fetch(`${ORIGIN}/webchat/locales/${encodeURIComponent(lang)}`);
      if (!res.ok) return EN;
      const body = await res.json();
      const strings = body && typeof body.widget === 'object' ? body.widget : body;
      stringsCache.set(lang, strings);
      return strings;
    } catch {
      return EN;
    }
  }

  // ---------------------------------------------------------------- state

  const chosenLang = storage.get(LANG_KEY);
  const state = {
    lang: normalizeLanguage(opts.lang || chosenLang || navigator.language),
    strings: EN,
    token: storage.get(TOKEN_KEY),
    conversationId: null,
    maxSeq: 0,
    byId: new Map(), // message id -> element
    pending: new Map(), // clientId -> outgoing frame not yet acknowledged
    optimistic: new Map(), // clientId -> optimistic bubble
    acked: new Map(), // clientId -> acknowledged bubble awaiting its stored message
    open: false,
    unread: 0,
    historyLoaded: false,
    languageDirty: false,
    typing: new Map(), // role -> timer
    // A logged-in shopper the shop's server signed for (Parley.identify / window.ParleySettings).
    identity: window.ParleySettings?.identity || null,
    identifiedToken: null,
  };

  const conn = {
    ws: null,
    ready: false,
    everReady: false,
    attempt: 0,
    wsFailures: 0,
    http: false,
    started: false,
    timer: null,
    pollTimer: null,
    inflight: new Set(),
  };

  const ui = {};

  // ---------------------------------------------------------------- rendering message parts

  const INLINE_MD =
    /\*\*([^\n]+?)\*\*|(^|[^\p{L}\p{N}_])_([^_\n]+?)_(?![\p{L}\p{N}_])|\[([^\]\n]+)\]\(\s*(https?:\/\/[^\s)]+)\s*\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]}'"])/gu;
  const BARE_URL = /()()()()()(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]}'"])/gu;

  function link(href, label, className) {
    const url = safeUrl(href);
    if (!url) return document.createTextNode(label);
    return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: className }, label);
  }

  /** Markdown subset: **bold**, _italic_, [label](url), bare URLs. Output is DOM nodes only. */
  function inline(text, markdown) {
    const re = new RegExp((markdown ? INLINE_MD : BARE_URL).source, 'gu');
    const out = [];
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      out.push(text.slice(last, m.index));
      last = re.lastIndex;
      if (m[1] !== undefined && m[1] !== '') out.push(h('strong', null, inline(m[1], true)));
      else if (m[3] !== undefined && m[3] !== '') out.push(m[2], h('em', null, inline(m[3], true)));
      else if (m[4]) out.push(link(m[5], m[4]));
      else if (m[6]) out.push(link(m[6], m[6]));
    }
    out.push(text.slice(last));
    return out.filter((x) => x !== '');
  }

  function renderChoices(part) {
    const group = h('div', { class: 'parley-choices', role: 'group', 'aria-label': part.title || null });
    for (const choice of part.choices || []) {
      const label = String(choice.label ?? '');
      if (choice.url) group.append(link(choice.url, label, 'parley-chip parley-chip-link'));
      else {
        group.append(h('button', { type: 'button', class: 'parley-chip', dir: 'auto', onclick: () => postback(choice, label, group) }, label));
      }
    }
    return [part.title ? h('p', { class: 'parley-bubble parley-text', dir: 'auto' }, inline(part.title, true)) : null, group];
  }

  function renderCard(part) {
    const img = safeUrl(part.imageUrl);
    const title = String(part.title ?? '');
    const buttons = (part.buttons || []).map((b) =>
      b.url
        ? link(b.url, String(b.label), 'parley-card-button')
        : h('button', { type: 'button', class: 'parley-card-button', onclick: () => postback(b, String(b.label)) }, String(b.label)),
    );
    if (!buttons.length && part.url) buttons.push(link(part.url, t('view'), 'parley-card-button'));
    return h(
      'article',
      { class: 'parley-card', dir: 'auto' },
      img ? h('img', { class: 'parley-card-image', src: img, alt: title, loading: 'lazy', onload: keepAtBottom }) : null,
      h(
        'div',
        { class: 'parley-card-body' },
        h('h3', { class: 'parley-card-title' }, part.url ? link(part.url, title, 'parley-card-link') : title),
        part.subtitle ? h('p', { class: 'parley-card-subtitle' }, String(part.subtitle)) : null,
        part.price ? h('p', { class: 'parley-card-price' }, String(part.price)) : null,
        buttons.length ? h('div', { class: 'parley-card-buttons' }, buttons) : null,
      ),
    );
  }

  function i18nSpan(key, vars, className) {
    const el = h('span', { class: className, 'data-i18n': key }, t(key, vars));
    if (vars) el.dataset.i18nVars = JSON.stringify(vars);
    return el;
  }

  function renderMedia(part) {
    const url = safeUrl(part.url);
    const caption = part.caption ? h('p', { class: 'parley-caption', dir: 'auto' }, inline(String(part.caption), true)) : null;
    if (!url) return caption;
    if (part.kind === 'image') {
      const alt = part.caption || part.name || t('image');
      const img = h('img', { src: url, alt, loading: 'lazy', class: 'parley-image', onload: keepAtBottom });
      const open = h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'parley-image-link' }, img);
      return h('figure', { class: 'parley-media' }, open, caption);
    }
    if (part.kind === 'video') {
      return h(
        'figure',
        { class: 'parley-media' },
        h('video', { src: url, controls: true, preload: 'metadata', class: 'parley-video' }, link(url, t('video'))),
        caption,
      );
    }
    if (part.kind === 'audio') {
      return h('div', { class: 'parley-media' }, h('audio', { src: url, controls: true, preload: 'none', 'aria-label': t('audio') }, link(url, t('audio'))));
    }
    return h('div', { class: 'parley-bubble parley-file' }, icon('file'), link(url, String(part.name || part.caption || t('file'))));
  }

  function renderLocation(part) {
    const lat = Number(part.latitude);
    const lon = Number(part.longitude);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
    const url = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
    return h(
      'div',
      { class: 'parley-bubble parley-location' },
      icon('pin'),
      h('span', null, part.name ? String(part.name) : i18nSpan('location'), ' · ', link(url, t('openMap'))),
    );
  }

  function renderOrder(part) {
    const status = part.status ? String(part.status) : '';
    const statusKey = `orderStatus.${status.toLowerCase().replace(/[\s-]+/g, '_')}`;
    return h(
      'div',
      { class: 'parley-bubble parley-order' },
      icon('box'),
      i18nSpan('order', { orderId: String(part.orderId ?? '') }, 'parley-order-id'),
      status
        ? typeof lookup(EN, statusKey) === 'string'
          ? i18nSpan(statusKey, null, 'parley-order-status')
          : h('span', { class: 'parley-order-status' }, status)
        : null,
    );
  }

  function renderPart(part, role) {
    switch (part?.kind) {
      case 'text': {
        const markdown = part.markup ? part.markup === 'markdown' : role !== 'shopper';
        return h('p', { class: 'parley-bubble parley-text', dir: 'auto' }, inline(String(part.text ?? ''), markdown));
      }
      case 'image':
      case 'video':
      case 'audio':
      case 'file':
        return renderMedia(part);
      case 'location':
        return renderLocation(part);
      case 'choices':
        return renderChoices(part);
      case 'card':
        return renderCard(part);
      case 'sticker': {
        const url = safeUrl(part.url);
        if (url) return h('img', { class: 'parley-sticker-image', src: url, alt: part.emoji || t('sticker'), loading: 'lazy' });
        return h('span', { class: 'parley-sticker', role: 'img', 'aria-label': part.emoji || t('sticker') }, part.emoji || '🙂');
      }
      case 'order':
        return renderOrder(part);
      default:
        // Nothing is silently dropped: unknown parts with text or a URL still show.
        if (typeof part?.text === 'string') return h('p', { class: 'parley-bubble parley-text' }, inline(part.text, false));
        if (part?.url) return h('p', { class: 'parley-bubble parley-text' }, link(part.url, String(part.url)));
        return null;
    }
  }

  const SPEAKER_KEY = { shopper: 'you', bot: 'bot', agent: 'agent', system: 'system' };

  function renderMessage(msg, pending) {
    const role = SPEAKER_KEY[msg.role] ? msg.role : 'bot';
    const ts = Number(msg.createdAt) || Date.now();
    const el = h(
      'div',
      { class: `parley-msg parley-from-${role}${pending ? ' parley-pending' : ''}`, 'data-id': msg.id || null },
      role === 'agent' ? i18nSpan('agent', null, 'parley-who') : h('span', { class: 'parley-sr' }, i18nSpan(SPEAKER_KEY[role]), ': '),
      h(
        'div',
        { class: 'parley-parts' },
        (msg.parts || []).map((p) => renderPart(p, role)),
      ),
      h(
        'div',
        { class: 'parley-meta' },
        h('time', { datetime: new Date(ts < 1e11 ? ts * 1000 : ts).toISOString(), 'data-ts': ts < 1e11 ? ts * 1000 : ts }),
        pending ? i18nSpan('sending', null, 'parley-state') : null,
      ),
    );
    formatTime(el.querySelector('time'));
    return el;
  }

  function formatTime(el) {
    const date = new Date(Number(el.dataset.ts));
    const sameDay = date.toDateString() === new Date().toDateString();
    const fmt = sameDay ? { hour: 'numeric', minute: '2-digit' } : { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
    try {
      el.textContent = new Intl.DateTimeFormat(state.lang, fmt).format(date);
    } catch {
      el.textContent = date.toLocaleTimeString();
    }
  }

  // ---------------------------------------------------------------- conversation log

  function nearBottom() {
    const s = ui.scroll;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }

  function keepAtBottom() {
    if (ui.stick) ui.scroll.scrollTop = ui.scroll.scrollHeight;
  }

  /** Inserts by seq so replays and late echoes land in order; pending bubbles stay last. */
  function insertBySeq(el, seq) {
    el.dataset.seq = Number.isFinite(seq) ? String(seq) : '';
    let before = null;
    for (let node = ui.log.lastElementChild; node; node = node.previousElementSibling) {
      const s = node.dataset.seq === '' ? Number.POSITIVE_INFINITY : Number(node.dataset.seq);
      if (s > seq) before = node;
      else break;
    }
    ui.stick = ui.stick || nearBottom();
    ui.log.insertBefore(el, before);
    ui.empty.hidden = true;
    keepAtBottom();
  }

  function addMessage(msg) {
    if (!msg || typeof msg.id !== 'string') return;
    dropStreamed(msg.id); // the stored reply replaces what was streamed while it was written
    const seq = Number(msg.seq);
    const own = ownBubble(msg);
    if (!own && state.byId.has(msg.id)) return;
    if (seq > state.maxSeq) state.maxSeq = seq;
    const el = renderMessage(msg, false);
    // The stored message replaces the shopper's own bubble (sending or acked): never both.
    if (own) dropOwnBubble(own);
    state.byId.set(msg.id, el);
    ui.stick = nearBottom() || msg.role === 'shopper';
    insertBySeq(el, seq);
    if (msg.role === 'bot' || msg.role === 'agent') setTyping(msg.role, false);
    if (!state.open && state.historyLoaded && msg.role !== 'shopper') {
      state.unread += 1;
      renderUnread();
    }
  }

  /** The bubble a stored message stands for: matched by clientId (echo, history, poll) or by the acked id. */
  function ownBubble(msg) {
    const byClient = msg.clientId && (state.optimistic.get(msg.clientId) || state.acked.get(msg.clientId));
    if (byClient) return byClient;
    const known = state.byId.get(msg.id);
    return known && state.acked.get(known.dataset.clientId) === known ? known : null;
  }

  function dropOwnBubble(el) {
    const clientId = el.dataset.clientId;
    state.optimistic.delete(clientId);
    state.acked.delete(clientId);
    state.pending.delete(clientId);
    if (state.byId.get(el.dataset.id) === el) state.byId.delete(el.dataset.id);
    el.remove();
  }

  function addOptimistic(clientId, text) {
    const el = renderMessage({ role: 'shopper', parts: [{ kind: 'text', text }], createdAt: Date.now() }, true);
    el.dataset.clientId = clientId;
    state.optimistic.set(clientId, el);
    ui.stick = true;
    insertBySeq(el, Number.POSITIVE_INFINITY);
  }

  function onAck(frame) {
    state.pending.delete(frame.clientId);
    const el = state.optimistic.get(frame.clientId);
    if (!el) return;
    state.optimistic.delete(frame.clientId);
    state.acked.set(frame.clientId, el);
    el.classList.remove('parley-pending');
    el.querySelector('.parley-state')?.remove();
    if (typeof frame.id === 'string') {
      el.dataset.id = frame.id;
      state.byId.set(frame.id, el);
    }
    const seq = Number(frame.seq);
    if (Number.isFinite(seq)) {
      if (seq > state.maxSeq) state.maxSeq = seq;
      el.remove();
      insertBySeq(el, seq);
    }
  }

  function resetConversation() {
    // Unsent messages survive: they are re-sent into the new conversation.
    ui.log.replaceChildren(...state.optimistic.values());
    ui.empty.hidden = state.optimistic.size > 0;
    state.byId.clear();
    state.acked.clear();
    state.maxSeq = 0;
    state.historyLoaded = false;
  }

  function setTyping(role, on) {
    clearTimeout(state.typing.get(role));
    state.typing.delete(role);
    // A lost "off" frame must not leave the dots running forever.
    if (on)
      state.typing.set(
        role,
        setTimeout(() => setTyping(role, false), 20_000),
      );
    const who = state.typing.has('agent') ? 'typingAgent' : state.typing.has('bot') ? 'typingBot' : null;
    ui.typing.hidden = !who;
    ui.typingText.dataset.i18n = who || 'typingBot';
    ui.typingText.textContent = who ? t(who) : '';
    if (who) {
      ui.stick = nearBottom();
      keepAtBottom();
    }
  }

  /** A bot reply as it is written: a plain-text bubble under the reply's id, grown by each delta at its offset. */
  function onDelta(frame) {
    if (typeof frame.id !== 'string' || typeof frame.text !== 'string') return;
    let el = state.byId.get(frame.id);
    if (el && !el.dataset.streaming) return; // the final message is already here
    if (!el) {
      el = renderMessage({ id: frame.id, role: 'bot', parts: [{ kind: 'text', text: '', markup: 'plain' }], createdAt: Date.now() }, false);
      el.dataset.streaming = 'true';
      el.setAttribute('aria-busy', 'true'); // screen readers hear the final message, not every piece
      state.byId.set(frame.id, el);
      setTyping('bot', false);
      ui.stick = nearBottom();
      insertBySeq(el, Number.POSITIVE_INFINITY);
    }
    const text = el.querySelector('.parley-text');
    // `at` is where the piece goes: a retried turn streams again from 0, and what it rewrites
    // is cut first rather than shown twice.
    if (text) text.textContent = text.textContent.slice(0, typeof frame.at === 'number' ? frame.at : undefined) + frame.text;
    ui.stick = ui.stick || nearBottom();
    keepAtBottom();
  }

  function dropStreamed(id) {
    const el = state.byId.get(id);
    if (!el?.dataset.streaming) return;
    state.byId.delete(id);
    el.remove();
  }

  function renderUnread() {
    ui.badge.hidden = state.unread === 0;
    ui.badge.textContent = state.unread > 9 ? '9+' : String(state.unread);
    ui.launcher.setAttribute('aria-label', state.unread ? t('launcherUnread', { count: state.unread }) : t('launcher'));
  }

  let statusTimer = null;
  function setStatus(key, sticky = true) {
    clearTimeout(statusTimer);
    ui.status.hidden = !key;
    ui.status.dataset.i18n = key || '';
    ui.status.textContent = key ? t(key) : '';
    if (key && !sticky) statusTimer = setTimeout(() => setStatus(conn.ready || conn.http ? null : 'reconnecting'), 6000);
  }

  // ---------------------------------------------------------------- sending

  function sendText(text) {
    const clean = text.trim();
    if (!clean) return;
    const clientId = uuid();
    addOptimistic(clientId, clean);
    enqueue({ type: 'message', clientId, text: clean, locale: state.lang });
  }

  function postback(choice, label, group) {
    if (group) {
      for (const b of group.querySelectorAll('button')) b.disabled = true;
      ui.input.focus();
    }
    const clientId = uuid();
    addOptimistic(clientId, label);
    enqueue({ type: 'postback', clientId, payload: String(choice.payload ?? ''), label });
  }

  function enqueue(frame) {
    state.pending.set(frame.clientId, frame);
    transmit(frame);
  }

  function transmit(frame) {
    if (conn.ready) conn.ws.send(JSON.stringify(frame));
    else if (conn.http) postHttp(frame);
    else if (!conn.started) start();
    // otherwise it stays pending and is flushed after the next sync
  }

  function sendEphemeral(frame) {
    if (conn.ready) conn.ws.send(JSON.stringify(frame));
  }

  function flushPending() {
    for (const frame of state.pending.values()) transmit(frame);
  }

  let typingSentAt = 0;
  let typingStop = null;
  function onComposerInput() {
    const now = Date.now();
    if (now - typingSentAt > 3000) {
      sendEphemeral({ type: 'typing', on: true });
      typingSentAt = now;
    }
    clearTimeout(typingStop);
    typingStop = setTimeout(stopTyping, 4000);
  }

  function stopTyping() {
    clearTimeout(typingStop);
    if (!typingSentAt) return;
    typingSentAt = 0;
    sendEphemeral({ type: 'typing', on: false });
  }

  // ---------------------------------------------------------------- transport

  async function ensureSession(identifyRetry = true) {
    const res = await fetch(`${ORIGIN}/webchat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: state.token || undefined, locale: state.lang }),
    });
    if (!res.ok) throw new Error(`session ${res.status}`);
    const body = await res.json();
    if (state.conversationId && body.conversationId !== state.conversationId) resetConversation();
    state.conversationId = body.conversationId;
    state.token = body.token;
    storage.set(TOKEN_KEY, body.token);
    await sendIdentity(identifyRetry);
  }

  // The shop vouches for who is logged in; a session that belongs to someone else is replaced.
  async function sendIdentity(retry = true) {
    const identity = state.identity;
    if (!identity || !state.token || state.identifiedToken === state.token) return;
    const res = await fetch(`${ORIGIN}/webchat/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${state.token}` },
      body: JSON.stringify(identity),
    }).catch(() => null);
    if (res?.ok) state.identifiedToken = state.token;
    else if (res?.status === 409 && retry) {
      dropToken();
      resetConversation();
      await ensureSession(false);
      conn.ws?.close(); // a socket on the old session reconnects on the new one
    }
  }

  function start() {
    if (conn.started) return;
    conn.started = true;
    connect();
  }

  async function connect() {
    clearTimeout(conn.timer);
    conn.timer = null;
    if (conn.ws) return;
    if (!conn.http) setStatus(conn.everReady ? 'reconnecting' : 'connecting');
    try {
      await ensureSession();
    } catch {
      scheduleReconnect(); // gateway unreachable: HTTP would fail too, keep trying the socket
      return;
    }
    if (typeof WebSocket !== 'function') {
      startHttp();
      return;
    }
    openSocket();
  }

  function openSocket() {
    const ws = new WebSocket(`${WS_ORIGIN}/webchat/socket?token=${encodeURIComponent(state.token)}`);
    conn.ws = ws;
    ws.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame?.type === 'ready') onReady(ws, frame);
      else handleFrame(frame);
    };
    ws.onclose = (event) => {
      if (conn.ws !== ws) return;
      const wasReady = conn.ready;
      conn.ws = null;
      conn.ready = false;
      if (!wasReady) conn.wsFailures += 1;
      if (AUTH_CLOSE_CODES.has(event.code)) dropToken();
      if (conn.http) scheduleSocketRetry();
      else if (conn.wsFailures >= WS_FAILURES_BEFORE_HTTP) startHttp();
      else scheduleReconnect();
    };
  }

  function onReady(ws, frame) {
    if (frame.conversationId && state.conversationId && frame.conversationId !== state.conversationId) resetConversation();
    if (frame.conversationId) state.conversationId = frame.conversationId;
    conn.ready = true;
    conn.everReady = true;
    conn.attempt = 0;
    conn.wsFailures = 0;
    stopHttp();
    setStatus(null);
    ws.send(JSON.stringify({ type: 'sync', after: state.maxSeq }));
    if (state.languageDirty) {
      state.languageDirty = false;
      ws.send(JSON.stringify({ type: 'language', language: state.lang }));
    }
  }

  function handleFrame(frame) {
    switch (frame?.type) {
      case 'history':
        for (const msg of frame.messages || []) addMessage(msg);
        state.historyLoaded = true;
        flushPending(); // whatever the replay did not echo back was never received
        break;
      case 'delta':
        onDelta(frame);
        break;
      case 'message':
        addMessage(frame.message);
        break;
      case 'ack':
        onAck(frame);
        break;
      case 'typing':
        setTyping(frame.role === 'agent' ? 'agent' : 'bot', Boolean(frame.on));
        break;
      case 'error':
        if (AUTH_ERRORS.has(frame.code)) {
          dropToken();
          conn.ws?.close();
        } else setStatus(frame.code === 'rate_limited' ? 'rateLimited' : 'error', false);
        break;
      default:
        break;
    }
  }

  function dropToken() {
    state.token = null;
    storage.set(TOKEN_KEY, null);
  }

  function scheduleReconnect() {
    if (conn.timer) return;
    const delay = Math.min(BACKOFF_CAP_MS, 500 * 2 ** conn.attempt) * (0.8 + Math.random() * 0.4);
    conn.attempt += 1;
    if (conn.everReady || conn.attempt > 1) setStatus('reconnecting');
    conn.timer = setTimeout(connect, delay);
  }

  // HTTP fallback: the socket keeps failing (proxy without upgrades, strict firewall).
  function startHttp() {
    if (conn.http) return;
    conn.http = true;
    setStatus(null);
    poll();
    scheduleSocketRetry();
  }

  function stopHttp() {
    conn.http = false;
    clearTimeout(conn.pollTimer);
    conn.pollTimer = null;
  }

  function scheduleSocketRetry() {
    clearTimeout(conn.timer);
    conn.timer = setTimeout(() => {
      conn.timer = null;
      if (conn.http && !conn.ws) openSocket();
    }, 30_000);
  }

  function authHeaders(extra) {
    return { authorization: `Bearer ${state.token}`, ...extra };
  }

  async function poll() {
    clearTimeout(conn.pollTimer);
    try {
      const res = await fetch(`${ORIGIN}/webchat/messages?after=${state.maxSeq}`, { headers: authHeaders() });
      if (res.status === 401) await ensureSession();
      else if (!res.ok) throw new Error(`poll ${res.status}`);
      else {
        const body = await res.json();
        for (const msg of body.messages || []) addMessage(msg);
        state.historyLoaded = true;
        setStatus(null);
        for (const frame of state.pending.values()) if (!conn.inflight.has(frame.clientId)) postHttp(frame);
      }
    } catch {
      setStatus('reconnecting');
    }
    if (conn.http) conn.pollTimer = setTimeout(poll, state.open ? 3000 : 10_000);
  }

  async function postHttp(frame) {
    if (conn.inflight.has(frame.clientId)) return;
    conn.inflight.add(frame.clientId);
    try {
      const res = await fetch(`${ORIGIN}/webhooks/webchat`, {
        method: 'POST',
        headers: authHeaders({ 'content-type': 'application/json' }),
        body: JSON.stringify(frame),
      });
      if (!res.ok) throw new Error(`post ${res.status}`);
      // The body's id is the event's, not the stored message's: the poll's echo matches by clientId.
      onAck({ clientId: frame.clientId });
      clearTimeout(conn.pollTimer);
      conn.pollTimer = setTimeout(poll, 500);
    } catch {
      // stays pending; the next poll retries it
    } finally {
      conn.inflight.delete(frame.clientId);
    }
  }

  // ---------------------------------------------------------------- UI shell

  function shopTitle() {
    const meta = document.querySelector('meta[property="og:site_name"], meta[name="application-name"]');
    return opts.title || meta?.content || null;
  }

  function languageChoices() {
    const list = (opts.languages || 'en,es,zh-CN,ar')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const codes = list.map(normalizeLanguage);
    if (!codes.includes(state.lang)) codes.push(state.lang);
    return [...new Set(codes)];
  }

  function build() {
    const host = document.createElement('parley-widget');
    host.setAttribute('style', 'all:initial');
    const shadow = host.attachShadow({ mode: 'open' });
    const title = shopTitle();
    ui.root = h('div', { class: 'parley-root', hidden: true });
    if (opts.color && CSS.supports('color', opts.color)) ui.root.style.setProperty('--parley-accent', opts.color);
    ui.badge = h('span', { class: 'parley-badge', 'aria-hidden': 'true', hidden: true });
    ui.launcher = h(
      'button',
      { type: 'button', class: 'parley-launcher', 'aria-expanded': 'false', 'aria-controls': 'parley-panel', onclick: toggle },
      icon('chat'),
      icon('down'),
      ui.badge,
    );
    ui.title = h('h2', { id: 'parley-title', class: 'parley-title', 'data-i18n': title ? null : 'title' }, title || t('title'));
    ui.select = h(
      'select',
      { class: 'parley-lang', 'data-i18n-aria': 'language', onchange: (e) => setLanguage(e.target.value, true) },
      languageChoices().map((code) => h('option', { value: code, lang: code }, languageName(code))),
    );
    ui.status = h('div', { class: 'parley-status', role: 'status', hidden: true });
    ui.empty = h('p', { class: 'parley-empty', 'data-i18n': 'empty' });
    ui.log = h('div', { class: 'parley-log', role: 'log', 'aria-live': 'polite', 'data-i18n-aria': 'conversation' });
    ui.typingText = h('span', { class: 'parley-sr' });
    ui.typing = h(
      'div',
      { class: 'parley-typing', role: 'status', hidden: true },
      h('span', { class: 'parley-dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
      ui.typingText,
    );
    ui.scroll = h('div', { class: 'parley-scroll' }, ui.empty, ui.log, ui.typing);
    ui.input = h('textarea', {
      class: 'parley-input',
      rows: 1,
      maxlength: 4000,
      enterkeyhint: 'send',
      'data-i18n-aria': 'inputLabel',
      'data-i18n-placeholder': 'placeholder',
      oninput: () => {
        autosize();
        onComposerInput();
      },
      onkeydown: onComposerKey,
    });
    ui.send = h('button', { type: 'submit', class: 'parley-send', 'data-i18n-aria': 'send' }, icon('send'));
    ui.panel = h(
      'div',
      { id: 'parley-panel', class: 'parley-panel', role: 'dialog', 'aria-labelledby': 'parley-title', hidden: true },
      h(
        'header',
        { class: 'parley-header' },
        h('div', { class: 'parley-heading' }, ui.title, h('p', { class: 'parley-subtitle', 'data-i18n': 'subtitle' })),
        ui.select,
        h('button', { type: 'button', class: 'parley-close', 'data-i18n-aria': 'close', onclick: close }, icon('close')),
      ),
      ui.status,
      ui.scroll,
      h('form', { class: 'parley-composer', onsubmit: onSubmit }, ui.input, ui.send),
    );
    ui.root.append(ui.panel, ui.launcher);
    ui.root.addEventListener('keydown', onEscape);
    const css = h('link', { rel: 'stylesheet', href: CSS_URL });
    css.addEventListener('load', () => ui.root.removeAttribute('hidden'));
    css.addEventListener('error', () => {
      shadow.append(h('style', null, FALLBACK_CSS));
      ui.root.removeAttribute('hidden');
    });
    shadow.append(css, ui.root);
    document.body.append(host);
  }

  // Used only when widget.css cannot be loaded: usable, if plain.
  const FALLBACK_CSS = `.parley-root{font:15px/1.4 system-ui,sans-serif;color:#111}[hidden]{display:none!important}
.parley-launcher{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border-radius:50%}
[data-side=left] .parley-launcher,[data-side=left] .parley-panel{left:20px;right:auto}
.parley-panel{position:fixed;bottom:88px;right:20px;width:360px;height:520px;background:#fff;border:1px solid #888;display:flex;flex-direction:column}
.parley-scroll{flex:1;overflow:auto}.parley-icon{width:20px;height:20px}.parley-launcher .parley-icon-down{display:none}.parley-sr{position:absolute;clip:rect(0 0 0 0);width:1px;height:1px;overflow:hidden}`;

  function applyStrings() {
    const rtl = RTL.has(state.lang.split('-')[0]);
    ui.root.dir = rtl ? 'rtl' : 'ltr';
    ui.root.lang = state.lang;
    const pos = opts.position === 'left' || opts.position === 'right' ? opts.position : null;
    ui.root.dataset.side = pos || (rtl ? 'left' : 'right');
    ui.select.value = state.lang;
    for (const el of ui.root.querySelectorAll('[data-i18n]')) {
      if (!el.dataset.i18n) continue;
      el.textContent = t(el.dataset.i18n, el.dataset.i18nVars ? JSON.parse(el.dataset.i18nVars) : null);
    }
    for (const el of ui.root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
    for (const el of ui.root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
    for (const el of ui.root.querySelectorAll('time[data-ts]')) formatTime(el);
    renderUnread();
  }

  let langRequest = 0;
  async function setLanguage(lang, chosen) {
    state.lang = normalizeLanguage(lang);
    if (chosen) {
      storage.set(LANG_KEY, state.lang);
      if (conn.ready) sendEphemeral({ type: 'language', language: state.lang });
      else state.languageDirty = true;
    }
    const request = ++langRequest;
    applyStrings(); // direction and picker switch at once; words follow when loaded
    const strings = await fetchStrings(state.lang);
    if (request !== langRequest) return;
    state.strings = strings;
    applyStrings();
  }

  function autosize() {
    ui.input.style.height = 'auto';
    ui.input.style.height = `${Math.min(ui.input.scrollHeight, 132)}px`;
  }

  function onComposerKey(event) {
    // isComposing: Enter confirms an IME candidate (Chinese, Japanese) and must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    onSubmit(event);
  }

  function onSubmit(event) {
    event.preventDefault();
    const text = ui.input.value;
    if (!text.trim()) return;
    ui.input.value = '';
    autosize();
    stopTyping();
    sendText(text);
    ui.input.focus();
  }

  function onEscape(event) {
    if (event.key === 'Escape' && state.open && !event.isComposing) {
      event.stopPropagation();
      close();
    }
  }

  function open() {
    state.open = true;
    state.unread = 0;
    renderUnread();
    ui.panel.hidden = false;
    ui.root.classList.add('parley-is-open');
    ui.launcher.setAttribute('aria-expanded', 'true');
    ui.scroll.scrollTop = ui.scroll.scrollHeight;
    ui.input.focus();
    start();
    if (conn.http) poll();
  }

  function close() {
    state.open = false;
    ui.panel.hidden = true;
    ui.root.classList.remove('parley-is-open');
    ui.launcher.setAttribute('aria-expanded', 'false');
    ui.launcher.focus();
  }

  function toggle() {
    if (state.open) close();
    else open();
  }

  async function boot() {
    build();
    applyStrings();
    await setLanguage(state.lang, false);
    // A returning shopper reconnects at once so replies that arrived meanwhile raise the badge.
    if (state.token) start();
  }

  // The page's API: the shop tells the widget who is logged in (signed on its server), and can
  // open or close the chat.
  window.Parley = Object.assign(window.Parley || {}, {
    identify(identity) {
      state.identity = identity && typeof identity === 'object' ? { ...identity } : null;
      state.identifiedToken = null;
      if (state.token) sendIdentity();
    },
    open: () => open(),
    close: () => close(),
  });

  // Skip the backoff wait when the device comes back online.
  window.addEventListener('online', () => {
    if (!conn.started || conn.ws || conn.http) return;
    conn.attempt = 0;
    connect();
  });

  if (document.body) boot();
  else document.addEventListener('DOMContentLoaded', boot, { once: true });
})();
