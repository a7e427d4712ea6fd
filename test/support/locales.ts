import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/server/gateway.js';

/** The fixed strings of one `locales/<lng>/<file>.json`, as the shopper reads them. */
export function strings(lng: string, file = 'bot'): Record<string, any> {
  return JSON.parse(readFileSync(join(projectRoot, 'locales', lng, `${file}.json`), 'utf8'));
}
