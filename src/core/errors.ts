/**
 * Stable error codes. Each is documented in `docs/errors.md`; a test keeps the two in step.
 */
export const errorCodes = {
  CONFIG_INVALID: 'The configuration has problems; each is listed with its YAML path and env var.',
  CONFIG_NOT_FOUND: 'The configuration file does not exist or cannot be read.',
  CHANNEL_UNKNOWN_TYPE: 'A channel block names a `type` Parley has no adapter for.',
  WEBHOOK_UNVERIFIED: 'A webhook request failed its signature or token check (answered 401).',
  WEBHOOK_BAD_PAYLOAD: 'A verified webhook body is not what the platform sends (answered 400).',
  DELIVERY_FAILED: 'A platform refused or did not answer a send; `retryable` says whether to try again.',
  STORE_FAILED: 'The database refused an operation.',
  SESSION_INVALID: 'A web chat session token is missing, forged or expired.',
  TRANSLATION_FAILED: 'A translation provider refused, failed or timed out; the next provider is tried, else the text goes out untranslated.',
} as const;

/** One of Parley's stable error codes. */
export type ErrorCode = keyof typeof errorCodes;

/**
 * Parley's error: a stable `code`, typed `details`, the `cause`, and a message that says what
 * failed and what to do next.
 *
 * @example
 * ```ts
 * throw new ParleyError('DELIVERY_FAILED',
 *   'Telegram sendMessage failed (401 Unauthorized). Check TELEGRAM_BOT_TOKEN.',
 *   { retryable: false, details: { status: 401 } });
 * ```
 */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** Wait at least this long before retrying (platform `retry_after`). */
  readonly retryAfterMs?: number;
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      cause?: unknown;
      retryable?: boolean;
      retryAfterMs?: number;
      details?: Record<string, unknown>;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }
}

/** Whether an error is a {@link ParleyError} with the given code. */
export function isParleyError(err: unknown, code?: ErrorCode): err is ParleyError {
  return err instanceof ParleyError && (code === undefined || err.code === code);
}
