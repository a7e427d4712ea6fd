/**
 * The voice-note button, where the browser can record (MediaRecorder and getUserMedia): a first
 * press records (`aria-pressed`, a visible timer), a second press or Escape stops and sends it
 * like an attached file (WebM or OGG Opus through `/webchat/upload`), Cancel discards it. A
 * note stops by itself after `data-voice-max` seconds (60 by default).
 */

import { h } from '../../shared/dom.js';
import { sendFile } from './attach.js';
import { icon } from './icons.js';
import { settings } from './settings.js';
import { setStatus } from './status.js';
import { t } from './strings.js';
import { ui } from './ui.js';

interface Take {
  recorder: MediaRecorder;
  stream: MediaStream;
  chunks: Blob[];
  startedAt: number;
  tick: ReturnType<typeof setInterval>;
  keep: boolean;
}

let take: Take | undefined;
let button: HTMLButtonElement;
let bar: HTMLDivElement;
let timer: HTMLSpanElement;

const canRecord = () => typeof MediaRecorder !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
const maxMs = () => (Number(settings.options.voiceMax) > 0 ? Number(settings.options.voiceMax) : 60) * 1000;

/** The first container type this browser records Opus in: Chrome and Firefox WebM, Firefox also OGG. */
function container(): string {
  return ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm'].find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}

function showTime(): void {
  const s = Math.floor((Date.now() - (take?.startedAt ?? Date.now())) / 1000);
  timer.textContent = t('recording', { time: `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` });
  if (take && Date.now() - take.startedAt >= maxMs()) stop(true);
}

async function start(): Promise<void> {
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch {
    return setStatus('recordFailed', false);
  }
  const type = container();
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
  const current: Take = { recorder, stream, chunks: [], startedAt: Date.now(), tick: setInterval(showTime, 250), keep: true };
  take = current;
  recorder.addEventListener('dataavailable', (e) => e.data.size && current.chunks.push(e.data));
  recorder.addEventListener('stop', () => void finish(current));
  recorder.start(1000);
  button.setAttribute('aria-pressed', 'true');
  bar.hidden = false;
  showTime();
}

/** Ends the recording: sent when `keep`, discarded otherwise. */
function stop(keep: boolean): void {
  if (!take) return;
  take.keep = keep;
  clearInterval(take.tick);
  if (take.recorder.state !== 'inactive') take.recorder.stop();
  take = undefined;
  button.setAttribute('aria-pressed', 'false');
  bar.hidden = true;
}

async function finish(done: Take): Promise<void> {
  for (const track of done.stream.getTracks()) track.stop();
  const type = (done.recorder.mimeType || 'audio/webm').split(';')[0] ?? 'audio/webm';
  if (!done.keep || done.chunks.length === 0) return button.focus();
  const file = new File(done.chunks, `voice-note.${type.endsWith('ogg') ? 'ogg' : 'webm'}`, { type });
  await sendFile(file, button);
  button.focus();
}

/** Escape stops a recording (and sends it) before it could close the panel. */
function onKey(e: KeyboardEvent): void {
  if (e.key !== 'Escape' || !take) return;
  e.preventDefault();
  e.stopPropagation();
  stop(true);
}

/** The button and the recording bar (timer, cancel); both stay hidden where recording is impossible. */
export function recordControls(): HTMLElement[] {
  button = h(
    'button',
    {
      type: 'button',
      class: 'parley-record',
      'aria-pressed': 'false',
      'data-i18n-aria': 'record',
      hidden: !canRecord(),
      onclick: () => (take ? stop(true) : void start()),
    },
    icon('mic'),
  );
  timer = h('span', { class: 'parley-timer', role: 'timer' });
  const cancel = h('button', { type: 'button', class: 'parley-record-cancel', 'data-i18n': 'recordCancel', onclick: () => stop(false) }, t('recordCancel'));
  bar = h('div', { class: 'parley-recording', hidden: true }, timer, cancel);
  ui.root.addEventListener('keydown', onKey, true);
  return [button, bar];
}
