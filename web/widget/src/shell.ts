/**
 * The widget's frame: a launcher and a dialog inside a shadow root, so the shop's CSS and the
 * widget's never meet. Fixed strings carry `data-i18n*` attributes that applyStrings fills.
 */

import { h } from '../../shared/dom.js';
import { onFileChosen } from './attach.js';
import { recordControls } from './record.js';
import { onComposerInput, onComposerKey, onSubmit } from './composer.js';
import { icon } from './icons.js';
import { setLanguage } from './language.js';
import { close, onEscape, toggle } from './panel.js';
import { settings } from './settings.js';
import { state } from './state.js';
import { languageName, normalizeLanguage, t } from './strings.js';
import { ui } from './ui.js';

// Used only when widget.css cannot be loaded: usable, if plain.
const FALLBACK_CSS = `.parley-root{font:15px/1.4 system-ui,sans-serif;color:#111}[hidden]{display:none!important}
.parley-launcher{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border-radius:50%}
[data-side=left] .parley-launcher,[data-side=left] .parley-panel{left:20px;right:auto}
.parley-panel{position:fixed;bottom:88px;right:20px;width:360px;height:520px;background:#fff;border:1px solid #888;display:flex;flex-direction:column}
.parley-scroll{flex:1;overflow:auto}.parley-icon{width:20px;height:20px}.parley-launcher .parley-icon-down{display:none}.parley-sr{position:absolute;clip:rect(0 0 0 0);width:1px;height:1px;overflow:hidden}`;

function shopTitle(): string | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[property="og:site_name"], meta[name="application-name"]');
  return settings.options.title || meta?.content || null;
}

function languageChoices(): string[] {
  const list = (settings.options.languages || 'en,es,zh-CN,ar')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const codes = list.map(normalizeLanguage);
  if (!codes.includes(state.lang)) codes.push(state.lang);
  return [...new Set(codes)];
}

function buildLauncher(): HTMLButtonElement {
  ui.badge = h('span', { class: 'parley-badge', 'aria-hidden': 'true', hidden: true });
  return h(
    'button',
    { type: 'button', class: 'parley-launcher', 'aria-expanded': 'false', 'aria-controls': 'parley-panel', onclick: toggle },
    icon('chat'),
    icon('down'),
    ui.badge,
  );
}

function buildHeader(): HTMLElement {
  const title = shopTitle();
  ui.title = h('h2', { id: 'parley-title', class: 'parley-title', 'data-i18n': title ? null : 'title' }, title || t('title'));
  ui.select = h(
    'select',
    { class: 'parley-lang', 'data-i18n-aria': 'language', onchange: (e: Event) => setLanguage((e.target as HTMLSelectElement).value, true) },
    languageChoices().map((code) => h('option', { value: code, lang: code }, languageName(code))),
  );
  return h(
    'header',
    { class: 'parley-header' },
    h('div', { class: 'parley-heading' }, ui.title, h('p', { class: 'parley-subtitle', 'data-i18n': 'subtitle' })),
    ui.select,
    h('button', { type: 'button', class: 'parley-close', 'data-i18n-aria': 'close', onclick: close }, icon('close')),
  );
}

function buildScroll(): HTMLDivElement {
  ui.empty = h('p', { class: 'parley-empty', 'data-i18n': 'empty' });
  ui.log = h('div', { class: 'parley-log', role: 'log', 'aria-live': 'polite', 'data-i18n-aria': 'conversation' });
  ui.typingText = h('span', { class: 'parley-sr' });
  ui.typing = h(
    'div',
    { class: 'parley-typing', role: 'status', hidden: true },
    h('span', { class: 'parley-dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
    ui.typingText,
  );
  return h('div', { class: 'parley-scroll' }, ui.empty, ui.log, ui.typing);
}

function buildComposer(): HTMLFormElement {
  ui.input = h('textarea', {
    class: 'parley-input',
    rows: 1,
    maxlength: 4000,
    enterkeyhint: 'send',
    'data-i18n-aria': 'inputLabel',
    'data-i18n-placeholder': 'placeholder',
    oninput: onComposerInput,
    onkeydown: onComposerKey,
  });
  ui.send = h('button', { type: 'submit', class: 'parley-send', 'data-i18n-aria': 'send' }, icon('send'));
  ui.file = h('input', {
    type: 'file',
    class: 'parley-sr',
    tabindex: -1,
    'aria-hidden': 'true',
    accept: 'image/*,audio/*,video/*,application/pdf,text/plain',
    onchange: onFileChosen,
  });
  ui.attach = h('button', { type: 'button', class: 'parley-attach', 'data-i18n-aria': 'attach', onclick: () => ui.file.click() }, icon('attach'));
  const [record, recording] = recordControls();
  return h('form', { class: 'parley-composer', onsubmit: onSubmit }, recording, ui.attach, record, ui.file, ui.input, ui.send);
}

/** The widget's stylesheet, with a plain fallback when it cannot load; the widget shows once styled. */
function stylesheet(shadow: ShadowRoot): HTMLLinkElement {
  const css = h('link', { rel: 'stylesheet', href: settings.cssUrl });
  css.addEventListener('load', () => ui.root.removeAttribute('hidden'));
  css.addEventListener('error', () => {
    shadow.append(h('style', null, FALLBACK_CSS));
    ui.root.removeAttribute('hidden');
  });
  return css;
}

export function build(): void {
  const host = document.createElement('parley-widget');
  host.setAttribute('style', 'all:initial');
  const shadow = host.attachShadow({ mode: 'open' });
  ui.root = h('div', { class: 'parley-root', hidden: true });
  const color = settings.options.color;
  if (color && CSS.supports('color', color)) ui.root.style.setProperty('--parley-accent', color);
  ui.launcher = buildLauncher();
  const header = buildHeader();
  ui.status = h('div', { class: 'parley-status', role: 'status', hidden: true });
  ui.scroll = buildScroll();
  ui.panel = h(
    'div',
    { id: 'parley-panel', class: 'parley-panel', role: 'dialog', 'aria-labelledby': 'parley-title', hidden: true },
    header,
    ui.status,
    ui.scroll,
    buildComposer(),
  );
  ui.root.append(ui.panel, ui.launcher);
  ui.root.addEventListener('keydown', onEscape);
  shadow.append(stylesheet(shadow), ui.root);
  document.body.append(host);
}
