/**
 * Small ports for what lives outside the core. Real implementations are built in the
 * composition root (`src/server/gateway.ts`); tests pass fakes through the same shapes.
 */

/**
 * The time source. Injected everywhere a timestamp or a deadline is computed, so tests can
 * move time.
 *
 * @example
 * ```ts
 * const systemClock: Clock = { now: () => Date.now() };
 * ```
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * The structured logger shape Parley uses (pino's): object first, message second.
 *
 * @example
 * ```ts
 * log.info({ channel: 'webchat', ms: 12 }, 'turn done');
 * ```
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** A logger that drops everything (tests, tools). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

/**
 * A logger that adds `fields` to every line, for one turn or one delivery. Unlike `child`, it
 * costs nothing until a line is written: a pino child serialises its bindings when it is made,
 * which at hundreds of turns a second shows in profiles even with logging off.
 *
 * @example
 * ```ts
 * const log = withFields(silentLogger, { channel: 'tg', inbox: 42 });
 * log.info({ ms: 12 }, 'turn done'); // {"channel":"tg","inbox":42,"ms":12,"msg":"turn done"}
 * ```
 */
export function withFields(log: Logger, fields: Record<string, unknown>): Logger {
  return {
    debug: (obj, msg) => log.debug({ ...fields, ...obj }, msg),
    info: (obj, msg) => log.info({ ...fields, ...obj }, msg),
    warn: (obj, msg) => log.warn({ ...fields, ...obj }, msg),
    error: (obj, msg) => log.error({ ...fields, ...obj }, msg),
    child: (bindings) => log.child({ ...fields, ...bindings }),
  };
}

/**
 * Looks up a fixed, localised string by key (i18next's `t`, bound to the shopper's language).
 *
 * @example
 * ```ts
 * t('handoff.queued'); // "A member of our team will reply here shortly."
 * t('choices.reply_with_number', { count: 3 });
 * ```
 */
export type Localize = (key: string, vars?: Record<string, unknown>) => string;

/** What a language detector decided, and why. */
export interface LanguageDecision {
  language: string;
  /** Which signal decided: explicit choice, sticky conversation language, script, text, hint, default. */
  source: string;
  confidence: number;
}

/**
 * Detects the shopper's language from text and context.
 *
 * @example
 * ```ts
 * detector.detect('¿Cuánto tarda el envío?', { sticky: 'en' }); // { language: 'es', source: 'text', ... }
 * detector.detect('ok', { sticky: 'es' });                     // { language: 'es', source: 'sticky', ... }
 * ```
 */
export interface LanguageDetectorPort {
  detect(text: string, context?: { explicit?: string; sticky?: string; hints?: { locale?: string; country?: string } }): LanguageDecision;
}

/**
 * A translation and the provider that made it. `untranslated` means translation was wanted but
 * did not happen (no provider is configured, every provider failed, or each dropped, duplicated
 * or mangled a protected span): `text` is then the original, and a shopper reading it should get
 * a localised note saying so.
 *
 * @example
 * ```ts
 * const ok: Translation = { text: 'Su pedido PS-100234 ha salido', provider: 'deepl' };
 * const failed: Translation = { text: '您的订单 PS-100234 已发货', provider: 'none', untranslated: true, reason: 'placeholders' };
 * ```
 */
export interface Translation {
  text: string;
  provider: string;
  untranslated?: boolean;
  /**
   * Why it is untranslated: `failed` (errors, timeouts), `placeholders` (protected spans
   * mangled) or `unconfigured` (no translation provider).
   */
  reason?: 'failed' | 'placeholders' | 'unconfigured';
}

/**
 * Translates text between languages (BCP 47 tags).
 *
 * @example
 * ```ts
 * const { text } = await translator.translate('Hola', 'es', 'en', { conversationId });
 * ```
 */
export interface TranslatorPort {
  translate(text: string, from: string, to: string, context?: { conversationId?: string }): Promise<Translation>;
}

/** The `none` translator: text passes through unchanged. */
export const noTranslator: TranslatorPort = {
  async translate(text) {
    return { text, provider: 'none' };
  },
};
