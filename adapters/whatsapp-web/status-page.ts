import { qrSvg } from './qr.js';
import type { WhatsAppWebState, WhatsAppWebStatus } from './session.js';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const explanations: Record<WhatsAppWebState, string> = {
  starting: 'Chromium is starting and opening WhatsApp Web. This page refreshes by itself.',
  qr: 'On the phone that owns the number open WhatsApp → Settings → Linked devices → Link a device, and scan this code. It changes about every 20 seconds; this page refreshes by itself.',
  ready: 'Linked and connected: messages to this number reach Parley.',
  disconnected: 'Not connected. Parley retries by itself; the gateway log says why (look for "whatsapp web session failed").',
  standby: 'Another gateway instance owns this session. Open this page on that instance, or wait: this one takes over if the owner stops.',
};

/** What the page needs besides the status. */
export interface StatusPageOptions {
  channelId: string;
  /** For "since …" (ms since the epoch); defaults to the status time. */
  now?: number;
}

function ago(since: number, now: number): string {
  const s = Math.max(0, Math.round((now - since) / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/**
 * The operator page of a WhatsApp Web channel: its state and, while a login is needed, the
 * QR code as an inline SVG. Pure: the server serves it at `GET /channels/<id>/status` to
 * operators only (the QR links the shop's number to whoever scans it), with
 * `Cache-Control: no-store`.
 *
 * @example
 * ```ts
 * reply.type('text/html').header('cache-control', 'no-store').send(renderStatusPage(adapter.status(), { channelId: adapter.id }));
 * ```
 */
export function renderStatusPage(status: WhatsAppWebStatus, options: StatusPageOptions): string {
  const id = escapeHtml(options.channelId);
  const qr = status.state === 'qr' && status.qr ? `<figure>${qrSvg(status.qr)}</figure>` : '';
  const refresh = status.state === 'ready' ? 30 : 5;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${refresh}">
<meta name="robots" content="noindex">
<title>WhatsApp Web · ${id}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
figure{margin:1.5rem 0}svg{border:1px solid #ddd}.state{font-weight:600}.warn{color:#8a4b00}</style>
</head>
<body>
<h1>WhatsApp Web · ${id}</h1>
<p>State: <span class="state" data-state="${status.state}">${status.state}</span> (for ${ago(status.since, options.now ?? status.since)})</p>
<p>${explanations[status.state]}</p>
${qr}
<p class="warn">Unofficial: this channel automates WhatsApp Web, not Meta's API, and WhatsApp may ban the number. The Cloud API channel (<code>type: whatsapp</code>) is the supported path.</p>
</body>
</html>
`;
}
