import { describe, expect, it } from 'vitest';
import { printQrToTerminal, qrSvg } from './qr.js';
import { renderStatusPage } from './status-page.js';

// A login QR string as whatsapp-web.js emits it (the example in its index.d.ts).
const qr = '1@9Q8tWf6bnezr8uVGwVCluyRuBOJ3tIglimzI5dHB0vQW2m4DQ0GMlCGf,f1/vGcW4Z3vBa1eDNl3tOjWqLL5DpYTI84DMVkYnQE8=,ZL7YnK2qdPN8vKo2ESxhOQ==';

/** The dark modules of an SVG drawn by qrSvg, as "x,y" strings. */
function modules(svg: string): Set<string> {
  return new Set([...svg.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${m[1]},${m[2]}`));
}

describe('qrSvg', () => {
  it('draws a QR code with its three finder patterns inside a quiet zone', () => {
    const svg = qrSvg(qr);
    const side = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
    const n = side - 8;
    expect((n - 17) % 4).toBe(0); // a QR version: 21, 25, 29, ... modules
    const dark = modules(svg);
    // Each finder pattern's outer ring is dark, the ring inside it light.
    for (const [x0, y0] of [
      [4, 4],
      [4 + n - 7, 4],
      [4, 4 + n - 7],
    ] as const) {
      for (let i = 0; i < 7; i++) {
        expect(dark.has(`${x0 + i},${y0}`)).toBe(true);
        expect(dark.has(`${x0},${y0 + i}`)).toBe(true);
      }
      expect(dark.has(`${x0 + 1},${y0 + 1}`)).toBe(false);
      expect(dark.has(`${x0 + 3},${y0 + 3}`)).toBe(true);
    }
    expect([...dark].every((p) => p.split(',').every((c) => Number(c) >= 4 && Number(c) < 4 + n))).toBe(true);
    expect(qrSvg(qr)).toBe(svg);
  });

  it('prints the same code in the terminal through qrcode-terminal', () => {
    let out = '';
    printQrToTerminal(qr, (s) => (out += s));
    expect(out).toContain('Linked devices');
    expect(out).toMatch(/[▀▄█]/);
  });
});

describe('renderStatusPage', () => {
  it('shows the QR inline while a login is needed, and refreshes', () => {
    const html = renderStatusPage({ state: 'qr', qr, since: 1_000 }, { channelId: 'wa-web', now: 31_000 });
    expect(html).toContain('<svg');
    expect(html).toContain('data-state="qr"');
    expect(html).toContain('Linked devices');
    expect(html).toContain('http-equiv="refresh" content="5"');
    expect(html).toContain('for 30 s');
    expect(html).not.toContain(qr); // the secret is drawn, not printed as text
  });

  it('explains the other states and escapes the channel id', () => {
    expect(renderStatusPage({ state: 'ready', since: 0 }, { channelId: 'wa-web' })).not.toContain('<svg');
    expect(renderStatusPage({ state: 'standby', since: 0 }, { channelId: 'wa-web' })).toContain('Another gateway instance');
    expect(renderStatusPage({ state: 'disconnected', since: 0 }, { channelId: '<b>x</b>' })).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(renderStatusPage({ state: 'starting', since: 0 }, { channelId: 'wa-web' })).toMatch(/Unofficial.*Cloud API/s);
  });
});
