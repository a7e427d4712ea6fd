/**
 * `${VAR}` and `${VAR:-default}` interpolation over a parsed YAML tree. Records which env vars
 * fed which YAML path, so validation errors can name both.
 */

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Result of interpolation: the tree plus the env vars behind each path. */
export interface Interpolated {
  value: unknown;
  /** YAML path (`channels.telegram.token`) → env var names used there. */
  envByPath: Map<string, string[]>;
}

/**
 * Replaces placeholders in every string. A scalar that is only `${VAR}` with VAR unset and no
 * default becomes `undefined`, so optional settings stay optional and required ones are
 * reported as missing, naming VAR.
 */
export function interpolate(tree: unknown, env: Readonly<Record<string, string | undefined>>): Interpolated {
  const envByPath = new Map<string, string[]>();
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') return substitute(node, path, env, envByPath);
    if (Array.isArray(node)) return node.map((v, i) => walk(v, `${path}[${i}]`)).filter((v) => v !== undefined);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        const value = walk(v, path ? `${path}.${k}` : k);
        if (value !== undefined) out[k] = value;
      }
      return out;
    }
    return node;
  };
  return { value: walk(tree, ''), envByPath };
}

function substitute(
  text: string,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  envByPath: Map<string, string[]>,
): string | undefined {
  const names: string[] = [];
  let missing = false;
  const result = text.replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined) => {
    names.push(name);
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    missing = true;
    return '';
  });
  if (names.length) envByPath.set(path, names);
  // An unset `${VAR}` alone (or a resolved empty string) means "not configured".
  if (missing && result.trim() === '') return undefined;
  return names.length && result === '' ? undefined : result;
}
