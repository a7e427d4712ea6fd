import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { ChannelDefinition, ConfigIssue } from '../core/channel.js';
import { ParleyError } from '../core/errors.js';
import { interpolate } from './interpolate.js';
import { type GatewaySettings, gatewaySchema } from './schema.js';

/** A configured channel instance, its block already validated by its adapter. */
interface ChannelSettings {
  id: string;
  type: string;
  definition: ChannelDefinition;
  config: unknown;
  /**
   * Overrides the channel type's declared sending limits (`channels.<id>.rateLimit`), e.g.
   * for a Telegram bot with raised limits. Every channel block may carry it.
   */
  rateLimit?: { perChatPerSecond?: number; perBotPerSecond?: number };
}

const rateLimitSchema = z
  .object({ perChatPerSecond: z.number().positive().optional(), perBotPerSecond: z.number().positive().optional() })
  .strict()
  .optional();

/** The whole, validated, frozen configuration. */
export interface GatewayConfig extends Omit<GatewaySettings, 'channels'> {
  channels: readonly ChannelSettings[];
  /** The file it came from. */
  source: string;
}

/** One problem, located: `channels.telegram.token (env TELEGRAM_BOT_TOKEN): Required`. */
interface LocatedIssue {
  path: string;
  envVars: string[];
  message: string;
}

/** Where the configuration comes from: `--config`, else `PARLEY_CONFIG`, else the default. */
export function configPath(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  const i = argv.indexOf('--config');
  const fromArg = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--config='))?.slice('--config='.length);
  return resolve(fromArg ?? env.PARLEY_CONFIG ?? 'config/gateway.yaml');
}

/**
 * Reads, interpolates and validates the configuration once. Every problem is reported
 * together, naming the YAML path and the env var behind it; the result is frozen.
 *
 * @example
 * ```ts
 * const config = loadConfig('config/gateway.yaml', process.env, definitions);
 * ```
 */
export function loadConfig(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  definitions: ReadonlyMap<string, ChannelDefinition>,
): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ParleyError('CONFIG_NOT_FOUND', `Cannot read the configuration file ${file}. Pass --config <file> or set PARLEY_CONFIG.`, { cause });
  }
  return parseConfigText(text, file, env, definitions);
}

/** {@link loadConfig} on text already read (tests, `parley check`). */
export function parseConfigText(
  text: string,
  source: string,
  env: Readonly<Record<string, string | undefined>>,
  definitions: ReadonlyMap<string, ChannelDefinition>,
): GatewayConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    const issues = doc.errors.map((e) => ({ path: `line ${e.linePos?.[0]?.line ?? '?'}`, envVars: [], message: e.message }));
    throw invalid(source, issues);
  }
  const { value, envByPath } = interpolate(doc.toJS() ?? {}, env);
  if (env.PORT) ((value as Record<string, Record<string, unknown>>).server ??= {}).port = env.PORT;
  const parsed = gatewaySchema.safeParse(value);
  const issues: LocatedIssue[] = [];
  const locate = (path: (string | number)[], message: string) => {
    const p = formatPath(path);
    issues.push({ path: p, envVars: envVarsAt(envByPath, p), message });
  };
  if (!parsed.success) for (const i of parsed.error.issues) locate(i.path.map(pathKey), i.message);
  const channels = parseChannels((value as { channels?: unknown }).channels, definitions, locate);
  if (issues.length || !parsed.success) throw invalid(source, issues);
  return deepFreeze({ ...parsed.data, channels, source });
}

function parseChannels(
  raw: unknown,
  definitions: ReadonlyMap<string, ChannelDefinition>,
  locate: (path: (string | number)[], message: string) => void,
): ChannelSettings[] {
  const blocks = (raw ?? { webchat: { type: 'webchat' } }) as Record<string, { type?: unknown } & Record<string, unknown>>;
  if (typeof blocks !== 'object') return [];
  const channels: ChannelSettings[] = [];
  for (const [id, block] of Object.entries(blocks)) {
    const definition = definitions.get(String(block?.type));
    if (!definition) {
      const known = [...definitions.keys()].join(', ');
      locate(['channels', id, 'type'], `unknown channel type "${String(block?.type)}"; known types: ${known}`);
      continue;
    }
    const { type: _type, rateLimit, ...rest } = block;
    const limits = rateLimitSchema.safeParse(rateLimit);
    if (!limits.success) limits.error.issues.forEach((i) => locate(['channels', id, 'rateLimit', ...i.path.map(pathKey)], i.message));
    const result = definition.parseConfig(rest);
    if (!result.ok) result.issues.forEach((i: ConfigIssue) => locate(['channels', id, ...i.path], i.message));
    else if (limits.success) channels.push({ id, type: definition.type, definition, config: result.value, ...(limits.data ? { rateLimit: limits.data } : {}) });
  }
  // The widget's endpoints (`/webchat/*`) and its CORS origins belong to one web-chat channel.
  const webchats = channels.filter((c) => c.type === 'webchat');
  for (const extra of webchats.slice(1)) {
    locate(['channels', extra.id, 'type'], `only one web chat channel is supported (channels.${webchats[0]?.id} is one): remove this block or give it another type`);
  }
  return channels;
}

function pathKey(p: PropertyKey): string | number {
  return typeof p === 'number' ? p : String(p);
}

function formatPath(path: (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function envVarsAt(envByPath: Map<string, string[]>, path: string): string[] {
  const direct = envByPath.get(path);
  if (direct) return direct;
  // A missing key has no placeholder of its own: name the env vars of its children if any.
  return [...envByPath.entries()].filter(([p]) => p.startsWith(`${path}.`)).flatMap(([, v]) => v);
}

function invalid(source: string, issues: LocatedIssue[]): ParleyError {
  const lines = issues.map((i) => `  - ${i.path}${i.envVars.length ? ` (env ${i.envVars.join(', ')})` : ''}: ${i.message}`);
  return new ParleyError('CONFIG_INVALID', `Configuration ${source} has ${issues.length} problem(s):\n${lines.join('\n')}`, {
    details: { issues },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
