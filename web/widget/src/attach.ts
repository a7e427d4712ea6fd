/** The attach button: a photo or file goes up first (`POST /webchat/upload`), then is sent by the reference it got. */

import { sendMedia } from './conversation/own.js';
import { settings } from './settings.js';
import { setStatus } from './status.js';
import { authHeaders, ensureSession } from './transport/session.js';
import { ui } from './ui.js';
import type { UploadRef } from './wire.js';

function upload(file: File): Promise<Response> {
  const headers = authHeaders({ 'content-type': file.type || 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) });
  return fetch(`${settings.origin}/webchat/upload`, { method: 'POST', headers, body: file });
}

/** Why an upload was refused, as a status key. */
function refusal(status: number): string {
  if (status === 413) return 'uploadTooLarge';
  if (status === 415) return 'uploadType';
  if (status === 429) return 'rateLimited';
  return 'uploadFailed';
}

export async function onFileChosen(): Promise<void> {
  const file = ui.file.files?.[0];
  ui.file.value = '';
  if (file) await sendFile(file, ui.attach);
}

/** Uploads a file (a picked one, or a recorded voice note) and sends it; `busy` is disabled meanwhile. */
export async function sendFile(file: File, busy: HTMLButtonElement): Promise<void> {
  busy.disabled = true;
  setStatus('uploading');
  try {
    let res = await upload(file);
    if (res.status === 401) {
      await ensureSession();
      res = await upload(file);
    }
    if (!res.ok) return setStatus(refusal(res.status), false);
    setStatus(null);
    sendMedia((await res.json()) as UploadRef);
  } catch {
    setStatus('uploadFailed', false);
  } finally {
    busy.disabled = false;
    ui.input.focus();
  }
}
