import { createRequire } from 'node:module';

/** The QR encoder bundled in qrcode-terminal (Kazuhiko Arase's, MIT): enough to draw an SVG. */
interface QrEncoder {
  addData(data: string): void;
  make(): void;
  getModuleCount(): number;
  isDark(row: number, col: number): boolean;
}

interface QrTerminal {
  generate(input: string, opts: { small: boolean }, cb: (out: string) => void): void;
}

const require = createRequire(import.meta.url);
// Why require: qrcode-terminal is CommonJS without types; its encoder has no entry of its own.
const loadEncoder = () => require('qrcode-terminal/vendor/QRCode/index.js') as new (typeNumber: number, level: number) => QrEncoder;
const loadTerminal = () => require('qrcode-terminal') as QrTerminal;

/** Error-correction level M: WhatsApp's login QR scans reliably from a screen with it. */
const levelM = 0;
const quietZone = 4;

/**
 * Draws `text` as a QR code in SVG: one path of dark modules on a white square with the
 * standard 4-module quiet zone. Pure and deterministic.
 *
 * @example
 * ```ts
 * const svg = qrSvg('2@abc…'); // '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 41 41" …'
 * ```
 */
export function qrSvg(text: string, sizePx = 264): string {
  const Encoder = loadEncoder();
  const qr = new Encoder(-1, levelM);
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const side = n + quietZone * 2;
  let d = '';
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (qr.isDark(row, col)) d += `M${col + quietZone} ${row + quietZone}h1v1h-1z`;
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" width="${sizePx}" height="${sizePx}" shape-rendering="crispEdges" role="img" aria-label="WhatsApp login QR code">` +
    `<rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`
  );
}

/** Prints a QR code in the terminal with qrcode-terminal (half-height blocks). */
export function printQrToTerminal(qr: string, write: (out: string) => void = (out) => process.stdout.write(out)): void {
  loadTerminal().generate(qr, { small: true }, (out) => write(`\nScan this QR code with WhatsApp (Settings → Linked devices):\n${out}\n`));
}
