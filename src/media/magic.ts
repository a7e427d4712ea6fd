/**
 * What a file is, from its first bytes (magic numbers), not from what the platform or the
 * shopper claims. Covers the types the channels send; `file-type` would cover more, but is not
 * a dependency. Sources: https://www.garykessler.net/library/file_sigs.html, RFC 4867 (AMR),
 * ISO/IEC 14496-12 (ftyp brands), Tencent SILK v3 header.
 */

const ascii = (data: Buffer, at: number, text: string) => data.length >= at + text.length && data.toString('latin1', at, at + text.length) === text;
const bytes = (data: Buffer, at: number, ...b: number[]) => data.length >= at + b.length && b.every((x, i) => data[at + i] === x);

/** ISO base media (MP4, M4A, MOV, 3GP, HEIC): by the `ftyp` brand. */
function isoType(data: Buffer, audio: boolean): string | undefined {
  if (!ascii(data, 4, 'ftyp')) return undefined;
  const brand = data.toString('latin1', 8, 12);
  if (/^(heic|heix|mif1|msf1|hevc)$/.test(brand)) return 'image/heic';
  if (brand === 'qt  ') return 'video/quicktime';
  if (brand.startsWith('3g')) return audio ? 'audio/3gpp' : 'video/3gpp';
  if (brand === 'M4A ' || brand === 'M4B ') return 'audio/mp4';
  return audio ? 'audio/mp4' : 'video/mp4';
}

/** Markup that a browser would run: never served inline, and not allowed by default. */
function markupType(data: Buffer): string | undefined {
  const head = data
    .toString('utf8', 0, Math.min(data.length, 512))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'image/svg+xml';
  if (/^<(!doctype html|html|head|body|script|iframe)/.test(head)) return 'text/html';
  return undefined;
}

/** UTF-8 text without control bytes: accepted as `text/plain` only when the sender said text. */
function looksLikeText(data: Buffer): boolean {
  const sample = data.subarray(0, 4096);
  if (sample.includes(0)) return false;
  return !sample.toString('utf8').includes('\uFFFD');
}

const TABLE: [test: (d: Buffer) => boolean, type: string][] = [
  [(d) => bytes(d, 0, 0xff, 0xd8, 0xff), 'image/jpeg'],
  [(d) => bytes(d, 0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'image/png'],
  [(d) => ascii(d, 0, 'GIF87a') || ascii(d, 0, 'GIF89a'), 'image/gif'],
  [(d) => ascii(d, 0, 'RIFF') && ascii(d, 8, 'WEBP'), 'image/webp'],
  [(d) => ascii(d, 0, 'RIFF') && ascii(d, 8, 'WAVE'), 'audio/wav'],
  [(d) => ascii(d, 0, 'OggS'), 'audio/ogg'],
  [(d) => ascii(d, 0, '#!AMR'), 'audio/amr'],
  // WeChat voice: "#!SILK_V3", often after a 0x02 byte.
  [(d) => ascii(d, 0, '#!SILK_V3') || (d[0] === 0x02 && ascii(d, 1, '#!SILK_V3')), 'audio/silk'],
  [(d) => ascii(d, 0, 'ID3') || bytes(d, 0, 0xff, 0xfb) || bytes(d, 0, 0xff, 0xf3) || bytes(d, 0, 0xff, 0xf2), 'audio/mpeg'],
  [(d) => bytes(d, 0, 0xff, 0xf1) || bytes(d, 0, 0xff, 0xf9), 'audio/aac'],
  [(d) => ascii(d, 0, '%PDF-'), 'application/pdf'],
  [(d) => bytes(d, 0, 0x50, 0x4b, 0x03, 0x04), 'application/zip'],
  [(d) => bytes(d, 0, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), 'application/x-ole-storage'],
];

/** Office documents are zip (OOXML) or OLE containers: the claimed type names which one. */
const CONTAINERS: Record<string, RegExp> = {
  'application/zip': /^application\/vnd\.openxmlformats-officedocument\.|^application\/vnd\.oasis\.opendocument\.|^application\/epub\+zip$/,
  'application/x-ole-storage': /^application\/(msword|vnd\.ms-excel|vnd\.ms-powerpoint)$/,
};

/**
 * The MIME type the bytes are, or undefined when they match nothing known. `claimed` (what the
 * platform said) only chooses between readings of the same bytes: audio or video for MP4/WebM,
 * which office format a zip is, and whether unmarked UTF-8 is plain text.
 *
 * @example
 * ```ts
 * sniff(jpegBytes, 'image/png'); // 'image/jpeg': the bytes win
 * sniff(Buffer.from('<svg xmlns=...'), 'image/png'); // 'image/svg+xml' (not allowed by default)
 * ```
 */
export function sniff(data: Buffer, claimed?: string): string | undefined {
  const claim = (claimed ?? '').toLowerCase();
  const audio = claim.startsWith('audio/');
  const iso = isoType(data, audio);
  if (iso) return iso;
  if (bytes(data, 0, 0x1a, 0x45, 0xdf, 0xa3)) return audio ? 'audio/webm' : 'video/webm';
  for (const [test, type] of TABLE) {
    if (!test(data)) continue;
    return CONTAINERS[type]?.test(claim) ? claim : type;
  }
  const markup = markupType(data);
  if (markup) return markup;
  if (/^text\/(plain|csv)$/.test(claim) && looksLikeText(data)) return claim;
  return undefined;
}
