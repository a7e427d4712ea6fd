import jsonata from 'jsonata';

/**
 * JSONata guardrails for every expression an operator writes: evaluation stops with an error
 * after {@link EVAL_TIMEOUT_MS}, deeper than {@link EVAL_MAX_DEPTH} nested steps, or once a
 * sequence grows past {@link EVAL_MAX_SEQUENCE} items. JSONata checks these between evaluation
 * steps, so a single built-in working on a huge value (a regular expression that backtracks,
 * `$pad` of a million) runs to its end first: bodies are capped by the gateway's body limit.
 * https://github.com/jsonata-js/jsonata/blob/master/src/jsonata.js (options.timeout, stack, sequence)
 */
export const EVAL_TIMEOUT_MS = 50;
const EVAL_MAX_DEPTH = 200;
const EVAL_MAX_SEQUENCE = 10_000;

/** A compiled JSONata expression, with its source for messages. */
export interface Expr {
  readonly source: string;
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
}

/** JSONata's error shape: a code, a position and a message. */
interface JsonataError {
  code?: string;
  position?: number;
  message?: string;
  token?: string;
}

/** What an expression's compile or evaluation error says, in one line. */
export function expressionError(err: unknown): string {
  const e = err as JsonataError;
  const where = typeof e?.position === 'number' ? ` (at character ${e.position})` : '';
  return `${e?.code ? `${e.code}: ` : ''}${e?.message ?? String(err)}${where}`;
}

/**
 * `$fromJson(text)`: parses JSON text inside a payload (Feishu's `message.content` is a JSON
 * string). Safer than JSONata's `$eval`, which runs the text as an expression. Bad JSON gives
 * nothing, so the field reads as missing.
 */
function fromJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Functions every expression may call besides JSONata's own. */
const extraBindings: Record<string, unknown> = { fromJson };

// Compiled once per source text: `parseConfig` compiles (and reports errors), `create` reuses.
const compiled = new Map<string, Expr>();

/**
 * Compiles a JSONata expression once (cached by its text) with Parley's guardrails. Throws
 * JSONata's syntax error; {@link expressionError} turns it into a line for the operator.
 *
 * @example
 * ```ts
 * const text = compile('$fromJson(event.message.content).text');
 * await text.evaluate(feishuEvent); // 'Hola'
 * ```
 */
export function compile(source: string): Expr {
  const known = compiled.get(source);
  if (known) return known;
  const expression = jsonata(source, { timeout: EVAL_TIMEOUT_MS, stack: EVAL_MAX_DEPTH, sequence: EVAL_MAX_SEQUENCE });
  const expr: Expr = {
    source,
    evaluate: (input, bindings) => expression.evaluate(input, { ...extraBindings, ...bindings }),
  };
  compiled.set(source, expr);
  return expr;
}

/** The compile error of `source`, or undefined when it compiles. */
export function compileProblem(source: string): string | undefined {
  try {
    compile(source);
    return undefined;
  } catch (err) {
    return expressionError(err);
  }
}

/** A value JSONata returned, as a plain value: sequences become arrays, functions nothing. */
export function plain(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
