import type { AdapterContext, ChannelAdapter } from './adapter.js';

/** One problem found in a channel's config block, with its path inside the block. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/** Result of parsing a channel's config block. */
export type ParsedConfig<C> = { ok: true; value: C } | { ok: false; issues: ConfigIssue[] };

/**
 * How a channel type plugs into Parley: its config schema and a factory. Each adapter folder
 * exports one; the gateway's channel registry lists them. Adding a channel type means adding
 * an adapter folder and one line in the registry; adding a channel instance means adding a
 * block under `channels:` in `config/gateway.yaml`.
 *
 * @example
 * ```ts
 * export const telegramChannel: ChannelDefinition<TelegramConfig> = {
 *   type: 'telegram',
 *   parseConfig: (raw) => fromSafeParse(telegramConfigSchema.safeParse(raw)),
 *   create: (config, ctx) => createTelegramAdapter(config, ctx),
 *   describe: (config) => ({ missing: config.token ? [] : ['token (TELEGRAM_BOT_TOKEN)'] }),
 * };
 * ```
 */
export interface ChannelDefinition<C = unknown, A extends ChannelAdapter | Promise<ChannelAdapter> = ChannelAdapter | Promise<ChannelAdapter>> {
  readonly type: string;
  /** Validates the block under `channels.<id>` (without `type`). */
  parseConfig(raw: unknown): ParsedConfig<C>;
  /**
   * Builds an instance. A channel with a heavy SDK returns a promise and imports its adapter
   * only here (`create: async (config, ctx) => (await import('./adapter.js')).createSlackAdapter(config, ctx)`),
   * so a gateway holds in memory only the SDKs its config names and `parley check` loads none.
   */
  create(config: C, ctx: AdapterContext): A;
  /** For `parley check`: settings still missing, and notes for the operator. */
  describe?(config: C): { missing: string[]; notes?: string[] };
}

/**
 * Turns a schema library's `safeParse` result (zod's shape) into a {@link ParsedConfig}, so
 * adapters can validate with zod while the core stays free of it.
 *
 * @example
 * ```ts
 * const definition = { parseConfig: (raw: unknown) => fromSafeParse(telegramConfig.safeParse(raw)) };
 * ```
 */
export function fromSafeParse<C>(
  result: { success: true; data: C } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } },
): ParsedConfig<C> {
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
      message: i.message,
    })),
  };
}
