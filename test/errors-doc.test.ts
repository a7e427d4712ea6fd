import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { type ErrorCode, errorCodes, wireName } from '../src/core/errors.js';
import { projectRoot } from '../src/server/gateway.js';

const codes = Object.keys(errorCodes) as ErrorCode[];
const status = (code: ErrorCode): number | undefined => (errorCodes[code] as { status?: number }).status;

/** The rows of docs/errors.md's code tables: code, status, wire name. */
function documented(): { code: string; status: string; wire: string }[] {
  const doc = readFileSync(join(projectRoot, 'docs/errors.md'), 'utf8');
  return [...doc.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \| ([^|]+) \|/gm)].map((m) => ({
    code: m[1] ?? '',
    status: (m[2] ?? '').trim(),
    wire: (m[3] ?? '').trim(),
  }));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The production sources, without the registry itself. */
const code = ['src', 'adapters']
  .flatMap((d) => sources(join(projectRoot, d)))
  .filter((path) => relative(projectRoot, path) !== join('src', 'core', 'errors.ts'))
  .map((path) => ({ path: relative(projectRoot, path), text: readFileSync(path, 'utf8') }));

it('documents every error code in docs/errors.md, and nothing else', () => {
  expect(
    documented()
      .map((r) => r.code)
      .sort(),
  ).toEqual([...codes].sort());
});

it('documents each code with its HTTP status and wire name (— for operator-only codes)', () => {
  const rows = documented().map((r) => [r.code, r.status, r.wire]);
  const expected = codes.map((c) => {
    const s = status(c);
    return [c, s === undefined ? '—' : String(s), s === undefined ? '—' : `\`${wireName(c)}\``];
  });
  expect(rows.sort()).toEqual(expected.sort());
});

/** Codes with typed fields, raised through their class: `reason`, `kind`, the backend's `status`. */
const typedClasses: Partial<Record<ErrorCode, string>> = {
  DELIVERY_FAILED: 'DeliveryError',
  MODEL_FAILED: 'ModelError',
  ORDER_LOOKUP_FAILED: 'OrderLookupError',
};

it('throws or sends every registry code somewhere in src/ or adapters/', () => {
  const raised = (c: ErrorCode) => {
    const typed = typedClasses[c];
    return typed ? `new ${typed}(` : `'${c}'`;
  };
  const unused = codes.filter((c) => !code.some((f) => f.text.includes(raised(c))));
  expect(unused).toEqual([]);
});

it('raises the codes with typed fields only through their classes', () => {
  const offenders = code.flatMap((f) =>
    Object.keys(typedClasses)
      .filter((c) => new RegExp(`new ParleyError(<[^>]*>)?\\(\\s*'${c}'`).test(f.text))
      .map((c) => `${f.path}: ${c}`),
  );
  expect(offenders).toEqual([]);
});
