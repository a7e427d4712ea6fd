/**
 * Parley's one error vocabulary. Every failure Parley reports has a stable code from
 * {@link errorCodes}: its HTTP status when it reaches a client (none for operator-only codes,
 * which are logged and shown by `parley check`), and a default message. A client gets
 * `{ "error": "<code in lower case>", "message": "<what to do>" }`. Each code is documented in
 * `docs/errors.md`, and thrown or sent somewhere; test/errors-doc.test.ts keeps all three in step.
 */

/** A code's HTTP status (absent: operator-only) and the message used when a throw gives none. */
interface CodeSpec {
  readonly status?: number;
  readonly message: string;
}

/**
 * The registry: one line per code, in the style of fastify's `createError(code, message, statusCode)`.
 * Add a row to `docs/errors.md` when you add a code.
 */
export const errorCodes = {
  // Operator-only: logged, never sent (a route that meets one answers 500 `internal`).
  CONFIG_INVALID: { message: 'The configuration has problems; each is listed with its YAML path and env var.' },
  CONFIG_NOT_FOUND: { message: 'The configuration file does not exist or cannot be read. Pass --config <file> or set PARLEY_CONFIG.' },
  DELIVERY_FAILED: { message: 'A platform refused or did not answer a send.' },
  TRANSLATION_FAILED: { message: 'A translation provider refused, failed or timed out.' },
  MODEL_FAILED: { message: 'The language model refused, failed or timed out.' },
  TRANSCRIPTION_FAILED: { message: 'The transcription endpoint refused, failed or timed out.' },
  ORDER_LOOKUP_FAILED: { message: "The shop's order system could not be asked." },
  MAIL_FAILED: { message: 'The e-mail could not be handed to the mail server. Check mail.smtp.' },

  // Clients: answered with the status and `{ error, message }`.
  BAD_REQUEST: { status: 400, message: 'The request does not fit what this endpoint takes.' },
  BAD_QUERY: { status: 400, message: 'The query string does not fit what this endpoint takes.' },
  BAD_JSON: { status: 400, message: 'The body is not valid JSON.' },
  BAD_PAYLOAD: { status: 400, message: 'The body is not what this channel sends.' },
  BAD_IDEMPOTENCY_KEY: { status: 400, message: 'Idempotency-Key must be 1 to 255 characters.' },
  INVALID_EVENT: { status: 400, message: 'The event has a missing or malformed field.' },
  UNKNOWN_EVENT_TYPE: { status: 400, message: 'The event type is missing or unknown.' },
  INVALID_MESSAGE: { status: 400, message: 'The message has a missing or malformed field.' },
  INVALID_IDENTITIES: { status: 400, message: 'The identities have a missing or malformed field.' },
  INVALID_PROFILE: { status: 400, message: 'The profile has a missing or malformed field.' },
  SELF_LOCKOUT: { status: 400, message: 'You cannot disable yourself or drop your own admin role.' },
  BAD_AGENT: { status: 400, message: 'No active agent has that id.' },
  BAD_TEAM: { status: 400, message: 'No team has that id.' },
  BAD_LANGUAGE: { status: 400, message: "A reply is written in the agent's language or the shopper's." },
  UNAUTHORIZED: { status: 401, message: 'Sign in or send an API key first.' },
  BAD_CREDENTIALS: { status: 401, message: 'The e-mail or password is wrong, or the account is disabled.' },
  INVALID_SESSION: { status: 401, message: 'The session token is missing, forged or expired.' },
  INVALID_SIGNATURE: { status: 401, message: 'The identity is not signed with the identity secret (see docs: signed identity).' },
  FORBIDDEN: { status: 403, message: 'Only an admin can do this. Ask your team lead.' },
  BAD_CSRF: { status: 403, message: 'Send the x-csrf-token header with the token from POST /console/api/login or GET /console/api/me.' },
  NOT_YOURS: { status: 403, message: 'Another agent owns this conversation.' },
  NOT_FOUND: { status: 404, message: 'Nothing is there.' },
  UNKNOWN_CHANNEL: { status: 404, message: 'No channel with that id is configured.' },
  UNKNOWN_SHOPPER: { status: 404, message: 'No shopper is linked to that customer. Link their chat identities first.' },
  UNKNOWN_CONVERSATION: { status: 404, message: 'No conversation has that id.' },
  IDENTITY_OFF: { status: 404, message: 'Identity verification is not configured: set channels.<webchat id>.identitySecret.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This channel takes POST only.' },
  EXISTS: { status: 409, message: 'It exists already.' },
  REVIEWED: { status: 409, message: 'The proposal was reviewed already.' },
  INVALID_STATE: { status: 409, message: "The conversation's state does not allow this." },
  SESSION_TAKEN: { status: 409, message: 'This chat session belongs to another customer: start a new session, then identify.' },
  IDENTITY_TAKEN: { status: 409, message: 'These identities belong to another customer.' },
  NOT_FAILED: { status: 409, message: 'Only failed, held, undeliverable or skipped messages can be resent.' },
  REQUEST_IN_PROGRESS: { status: 409, message: 'A request with this Idempotency-Key is still running. Retry in a moment.' },
  SHOPPER_BUSY: { status: 409, message: 'A message of this shopper is being answered right now; nothing was erased. Retry in a few seconds.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as JSON with content-type: application/json.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'This Idempotency-Key was already used with a different body. Use a new key for a new request.' },
  TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many sign-in attempts for this account. Wait for Retry-After seconds and try again.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Wait for Retry-After seconds and try again.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side. Try again later.' },
} as const satisfies Record<string, CodeSpec>;

/** One of Parley's stable error codes. */
export type ErrorCode = keyof typeof errorCodes;

/** A code that reaches clients: it has an HTTP status. */
export type HttpErrorCode = { [C in ErrorCode]: (typeof errorCodes)[C] extends { status: number } ? C : never }[ErrorCode];

/** The `error` field clients see: the code in lower case (`BAD_JSON` → `bad_json`). */
export function wireName(code: ErrorCode): string {
  return code.toLowerCase();
}

/** What a {@link ParleyError} carries besides its code and message. */
export interface ParleyErrorOptions {
  cause?: unknown;
  /** Whether trying again later may help (set by the typed errors from their own fields). */
  retryable?: boolean;
  /** Wait at least this long before retrying (platform `retry_after`). */
  retryAfterMs?: number;
  details?: Record<string, unknown>;
  /**
   * Answer with this status instead of the registry's: only for `UNKNOWN_CHANNEL` named in a
   * request body (422) and for Fastify's own 4xx errors passed on as `BAD_REQUEST`.
   */
  statusCode?: number;
}

/**
 * Parley's error: a stable `code` from {@link errorCodes}, the HTTP status that code answers
 * with, typed `details`, the `cause`, and a message that says what failed and what to do next.
 * Thrown in a route, it is answered by the HTTP error handler (src/server/http.ts).
 *
 * @example
 * ```ts
 * throw new ParleyError('NOT_FOUND', `No conversation "${id}".`); // 404 { error: 'not_found', message }
 * throw new ParleyError('CONFIG_NOT_FOUND', `Cannot read ${file}. Pass --config <file>.`, { cause });
 * ```
 */
export class ParleyError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  /** The HTTP status a client gets; undefined for operator-only codes. */
  readonly statusCode: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly details: Record<string, unknown>;

  constructor(code: C, message: string = errorCodes[code].message, options: ParleyErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.statusCode = options.statusCode ?? (errorCodes[code] as CodeSpec).status;
    this.retryable = options.retryable ?? false;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }

  /** The `error` field of the JSON body a client gets. */
  get wire(): string {
    return wireName(this.code);
  }
}

/** Whether an error is a {@link ParleyError}, with the given code when one is named. */
export function isParleyError<C extends ErrorCode>(err: unknown, code?: C): err is ParleyError<C> {
  return err instanceof ParleyError && (code === undefined || err.code === code);
}

/**
 * Why a send failed, as the outbox and the console see it:
 * - `auth`: the platform refused the channel's credentials (token, secret, IP allow-list, scopes);
 * - `blocked`: the shopper cannot be reached (blocked the bot, unfollowed, not a contact, left);
 * - `rate_limited`: the platform asked to slow down (429 and its kin), with `retryAfterMs`;
 * - `invalid`: the platform refused this message as it is (payload, size, closed messaging window);
 * - `transient`: the platform failed or did not answer (5xx, network, timeout).
 */
export type DeliveryReason = 'auth' | 'blocked' | 'rate_limited' | 'invalid' | 'transient';

const deliveryReasons: readonly string[] = ['auth', 'blocked', 'rate_limited', 'invalid', 'transient'] satisfies DeliveryReason[];

/** A reason read back from storage; undefined for none (or one this version does not know). */
export function asDeliveryReason(value: unknown): DeliveryReason | undefined {
  return typeof value === 'string' && deliveryReasons.includes(value) ? (value as DeliveryReason) : undefined;
}

/** Whether a send that failed for `reason` is worth another attempt: only a busy or unreachable platform. */
export function retriesOn(reason: DeliveryReason): boolean {
  return reason === 'transient' || reason === 'rate_limited';
}

/**
 * `DELIVERY_FAILED` with its typed `reason`; `retryable` follows from the reason.
 *
 * @example
 * ```ts
 * throw new DeliveryError('auth', 'Telegram sendMessage failed (401 Unauthorized). Check TELEGRAM_BOT_TOKEN.', { details: { status: 401 } });
 * throw new DeliveryError('rate_limited', 'Telegram sendMessage failed (429). Retrying.', { retryAfterMs: 7000 });
 * ```
 */
export class DeliveryError extends ParleyError<'DELIVERY_FAILED'> {
  readonly reason: DeliveryReason;

  constructor(reason: DeliveryReason, message: string, options: Omit<ParleyErrorOptions, 'retryable' | 'statusCode'> = {}) {
    super('DELIVERY_FAILED', message, { ...options, retryable: retriesOn(reason) });
    this.name = 'DeliveryError';
    this.reason = reason;
  }
}
