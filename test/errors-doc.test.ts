import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { errorCodes } from '../src/core/errors.js';
import { projectRoot } from '../src/server/gateway.js';

it('documents every error code in docs/errors.md, and nothing else', () => {
  const doc = readFileSync(join(projectRoot, 'docs/errors.md'), 'utf8');
  const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
  expect(documented.sort()).toEqual(Object.keys(errorCodes).sort());
});
