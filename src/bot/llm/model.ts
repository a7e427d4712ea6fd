/**
 * The chat-model port the LLM answerer talks to. The `openai` package is imported only by
 * {@link ./openai-provider.ts}; everything else sees these small types.
 */
import { ParleyError } from '../../core/errors.js';

/** A tool call the model asked for. `arguments` is the model's JSON text, unparsed. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** One message of a chat-completions conversation. */
export type ChatMessage =
  | { role: 'system'; content: string }
  /** `images`: photos the shopper sent with the message, as `data:` URLs (vision models only). */
  | { role: 'user'; content: string; images?: readonly string[] }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** A function the model may call (JSON Schema parameters). */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** One request to the model. */
export interface ChatRequest {
  messages: readonly ChatMessage[];
  tools?: readonly ToolSpec[];
  temperature: number;
  maxTokens: number;
}

/** Token counts; `estimated` when the server did not report usage (some streaming servers). */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  estimated?: boolean;
}

/** The model's reply to one request. */
export interface ChatResult {
  content: string;
  toolCalls: ToolCall[];
  usage: TokenUsage;
}

/**
 * A chat-completions model.
 *
 * @example
 * ```ts
 * const result = await model.complete({ messages, tools, temperature: 0.2, maxTokens: 500 });
 * const streamed = await model.stream({ messages, temperature: 0.2, maxTokens: 500 }, (text) => ui.append(text));
 * ```
 */
export interface ChatModel {
  complete(request: ChatRequest): Promise<ChatResult>;
  /** Calls `onText` with content pieces as they arrive; tool calls are assembled. */
  stream(request: ChatRequest, onText: (text: string) => void): Promise<ChatResult>;
}

/** Why a model call failed, as the retry and fallback logic sees it. */
export type ModelFailureKind = 'timeout' | 'rate_limit' | 'server' | 'connection' | 'refused';

/**
 * `MODEL_FAILED`, with the `kind` the answerer counts and retries on: `retryable` for timeouts,
 * 429, 5xx and connection errors; `status` is the model server's HTTP status.
 */
export class ModelError extends ParleyError<'MODEL_FAILED'> {
  constructor(
    readonly kind: ModelFailureKind,
    message: string,
    readonly status?: number,
    retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super('MODEL_FAILED', message, { ...options, retryable: kind !== 'refused', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    this.name = 'ModelError';
  }
}
