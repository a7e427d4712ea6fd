import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLocales } from '../src/language/i18n.js';
import { projectRoot } from '../src/server/gateway.js';

const dir = join(projectRoot, 'locales');
const locales = readdirSync(dir).filter((d) => !d.startsWith('.'));

/** Every leaf key with the interpolation variables its string uses. */
function leaves(obj: unknown, prefix = ''): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (typeof obj === 'string') {
    out.set(prefix, [...obj.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] ?? '').sort());
  } else if (obj && typeof obj === 'object') {
    for (const [k, v] of Object.entries(obj)) for (const [key, vars] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(key, vars);
  }
  return out;
}

function read(lng: string): Map<string, string[]> {
  const all = new Map<string, string[]>();
  for (const file of readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json'))) {
    const json = JSON.parse(readFileSync(join(dir, lng, file), 'utf8'));
    for (const [k, v] of leaves(json, file.replace(/\.json$/, ''))) all.set(k, v);
  }
  return all;
}

describe('locales', () => {
  const reference = read('en');

  it.each(locales.filter((l) => l !== 'en'))('%s has every key of en, no extra key, and the same variables', (lng) => {
    const strings = read(lng);
    const missing = [...reference.keys()].filter((k) => !strings.has(k));
    const extra = [...strings.keys()].filter((k) => !reference.has(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    for (const [key, vars] of reference) expect({ key, vars: strings.get(key) }).toEqual({ key, vars });
  });

  it('resolves a shopper language to the best locale and falls back to English', async () => {
    const l = await loadLocales(dir);
    expect(l.resolve('es-MX')).toBe('es');
    expect(l.resolve('zh-Hans-CN')).toBe('zh-CN');
    expect(l.resolve('xx')).toBe('en');
    expect(l.forLanguage('es')('bot.source', { title: 'Envíos' })).toContain('Envíos');
  });
});
