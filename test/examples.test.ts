/**
 * Keeps the `@example` blocks in doc comments true: each is compiled inside a copy of its own
 * module (so the module's names are in scope, as a reader assumes) against the real project.
 * Names an example takes for granted (`kb`, `request`, `ctx`...) are allowed to be unknown;
 * anything else the compiler finds — a renamed function, a wrong argument, a property that no
 * longer exists — fails the test with the file and line of the example.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { projectRoot } from '../src/server/gateway.js';

interface Example {
  file: string;
  line: number;
  code: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'fixtures' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const EXAMPLE = /@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g;

function examplesIn(file: string): Example[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(EXAMPLE)].map((m) => ({
    file,
    line: text.slice(0, m.index).split('\n').length,
    code: (m[1] as string)
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n'),
  }));
}

/**
 * What an example may leave out: the names it takes from its surroundings (unknown names,
 * their implicit `any`s), unused results, and redeclarations that only exist because the
 * example sits in a copy of its module (module augmentations).
 */
const IGNORED = new Set([
  2304, // Cannot find name 'x'.
  2552, // Cannot find name 'x'. Did you mean 'y'?
  2582, // Cannot find name 'describe' (test helpers).
  7005, // Variable implicitly has an 'any' type.
  7006, // Parameter implicitly has an 'any' type.
  7034, // Variable implicitly has type 'any' in some locations.
  6133, // Declared but never read.
  6192, // All imports in import declaration are unused.
  2300, // Duplicate identifier (module augmentation in the copy).
  2717, // Subsequent property declarations must have the same type (augmentation in the copy).
  2451, // Cannot redeclare block-scoped variable (the example redefines a module name).
  2393, // Duplicate function implementation.
  1375, // 'await' only allowed at the top level of a file when... (examples are wrapped).
  1378, // Top-level 'await' (wrapped anyway).
  2307, // Cannot find module (an example importing a package by another name).
  18004, // No value exists in scope for the shorthand property ({ kb, log }).
  1361, // A type-only import used as a value (the reader imports the class itself).
  1184, // Modifiers cannot appear here (an example shows an `export`).
]);

/** Callbacks an example may call without defining them: the reader has them at hand. */
const GIVEN_CALLBACKS = new Set([
  't',
  'reply',
  'send',
  'onDelta',
  'publish',
  'render',
  'next',
  'done',
  'resolve',
  'reject',
  'accept',
  'emit',
  'show',
  'write',
  'startPolling',
]);

/** The identifier at `start` when it is called (`name(...)` or `new Name(...)`). */
function calledName(file: ts.SourceFile, start: number): string | undefined {
  const find = (node: ts.Node): ts.Node | undefined => (node.getStart(file) <= start && start < node.end ? (ts.forEachChild(node, find) ?? node) : undefined);
  const id = find(file);
  if (!id || !ts.isIdentifier(id)) return undefined;
  const parent = id.parent;
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === id ? id.text : undefined;
}

it('compiles every @example block in src/ and adapters/ against the current code', () => {
  const files = ['src', 'adapters'].flatMap((d) => sources(join(projectRoot, d)));
  const examples = files.flatMap(examplesIn);
  // What a reader can import from somewhere in the project: an example may call it unimported.
  const exported = new Set(
    files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const declared = [...text.matchAll(/export (?:declare )?(?:async )?(?:function\*?|const|let|class|interface|type|enum) (\w+)/g)].map(
        (m) => m[1] as string,
      );
      const listed = [...text.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) =>
        (m[1] as string).split(',').map(
          (n) =>
            n
              .trim()
              .split(/\s+as\s+/)
              .pop() ?? '',
        ),
      );
      return [...declared, ...listed];
    }),
  );
  expect(examples.length).toBeGreaterThan(100);
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(join(projectRoot, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, projectRoot);
  const virtual = new Map<string, Example>();
  for (const [i, example] of examples.entries()) {
    const copy = join(dirname(example.file), `__example_${i}.ts`);
    const module = readFileSync(example.file, 'utf8');
    virtual.set(copy, { ...example, code: `${module}\n// @example\nasync function __example_${i}() {\n${example.code}\n}\nvoid __example_${i};\n` });
  }
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => virtual.get(f)?.code ?? readFile(f);
  host.fileExists = (f) => virtual.has(f) || ts.sys.fileExists(f);
  host.getSourceFile = (f, lang, onError) => {
    const v = virtual.get(f);
    return v ? ts.createSourceFile(f, v.code, lang) : getSourceFile(f, lang, onError);
  };
  // Without the DOM library, a name an example takes for granted (`event`, `crypto`, `name`) is
  // unknown, not a browser global.
  const options = { ...config.options, lib: ['lib.es2023.d.ts'], noUnusedLocals: false, noUnusedParameters: false };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const problems: string[] = [];
  for (const [copy, example] of virtual) {
    const file = program.getSourceFile(copy);
    if (!file) continue;
    const start = file.text.lastIndexOf('// @example');
    for (const d of program.getSemanticDiagnostics(file)) {
      if (d.start === undefined || d.start < start) continue;
      // An unknown name the example *calls* is a function that was renamed or removed, unless
      // it is one of the callbacks examples take for granted.
      const called = (d.code === 2304 || d.code === 2552) && calledName(file, d.start);
      const stale = called && !GIVEN_CALLBACKS.has(called) && !exported.has(called);
      if (IGNORED.has(d.code) && !stale) continue;
      const at = file.getLineAndCharacterOfPosition(d.start).line - file.getLineAndCharacterOfPosition(start).line - 2;
      problems.push(`${relative(projectRoot, example.file)}:${example.line} (example line ${at + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  }
  expect(problems).toEqual([]);
}, 180_000);
