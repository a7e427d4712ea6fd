/**
 * The one place Parley talks chat completions through the `openai` package. Works with any
 * OpenAI-compatible endpoint (OpenAI, Azure OpenAI, DeepSeek, Qwen/DashScope, Ollama, vLLM):
 * only `/chat/completions` with plain tools is used.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { type ChatMessage, type ChatModel, type ChatRequest, type ChatResult, ModelError, type ToolCall } from './model.js';

/** Connection settings (the `llm` config block). */
export interface OpenAiModelOptions {
  /** e.g. `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1` (Ollama), an Azure deployment URL. */
  baseURL?: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  /** Azure: `api-version` query parameter. */
  apiVersion?: string;
  /** Azure keys travel in an `api-key` header instead of `Authorization: Bearer`. */
  apiKeyHeader?: 'authorization' | 'api-key';
  /** Ask streaming servers for a final usage chunk (`stream_options.include_usage`). Default true. */
  streamUsage?: boolean;
  fetch?: typeof fetch;
}

function toOpenAi(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls?.length
          ? { tool_calls: message.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) }
          : {}),
      };
    case 'user':
      // Vision models take the photo as an image content part beside the text (chat completions "image_url").
      if (message.images?.length) {
        return {
          role: 'user',
          content: [{ type: 'text', text: message.content }, ...message.images.map((url) => ({ type: 'image_url' as const, image_url: { url } }))],
        };
      }
      return { role: 'user', content: message.content };
    default:
      return { role: message.role, content: message.content };
  }
}

/** Roughly 4 characters a token: only used when a server reports no usage. */
const estimateTokens = (text: string) => Math.ceil(text.length / 4);

function classify(err: unknown, timedOut: boolean): ModelError {
  if (err instanceof ModelError) return err;
  if (timedOut || err instanceof APIConnectionTimeoutError)
    return new ModelError('timeout', 'The model did not answer in time (llm.timeoutMs).', undefined, undefined, { cause: err });
  if (err instanceof APIUserAbortError) return new ModelError('timeout', 'The model call was aborted.', undefined, undefined, { cause: err });
  if (err instanceof APIConnectionError)
    return new ModelError('connection', 'Cannot reach the model server. Check llm.baseURL.', undefined, undefined, { cause: err });
  if (err instanceof APIError) {
    const status = err.status;
    const retryAfter = Number(err.headers?.get('retry-after'));
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
    if (status === 429) return new ModelError('rate_limit', 'The model server is rate limiting (429).', status, retryAfterMs, { cause: err });
    if (status !== undefined && status >= 500) return new ModelError('server', `The model server failed (${status}).`, status, retryAfterMs, { cause: err });
    const hint = status === 401 || status === 403 ? ' Check OPENAI_API_KEY (llm.apiKey).' : status === 404 ? ' Check llm.model and llm.baseURL.' : '';
    return new ModelError('refused', `The model server refused the request (${status}).${hint}`, status, undefined, { cause: err });
  }
  return new ModelError('connection', `The model call failed (${(err as Error)?.name ?? 'error'}).`, undefined, undefined, { cause: err });
}

/**
 * A {@link ChatModel} over the `openai` client. Retries are Parley's (one, with backoff), so the
 * client's own are off; every call is bounded by `timeoutMs`, streams included.
 *
 * @example
 * ```ts
 * const model = createOpenAiModel({ baseURL: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b', timeoutMs: 15000 });
 * ```
 */
export function createOpenAiModel(options: OpenAiModelOptions): ChatModel {
  const client = clientFor(options);
  return {
    complete(request) {
      return bounded(options.timeoutMs, async (signal) => {
        const completion = await client.chat.completions.create({ ...paramsFor(options.model, request), stream: false }, { signal });
        return resultOf(completion, request);
      });
    },

    stream(request, onText) {
      return bounded(options.timeoutMs, async (signal) => {
        const stream = await client.chat.completions.create(
          { ...paramsFor(options.model, request), stream: true, ...(options.streamUsage === false ? {} : { stream_options: { include_usage: true } }) },
          { signal },
        );
        return readStream(stream, request, onText);
      });
    },
  };
}

function clientFor(options: Omit<OpenAiModelOptions, 'model'>): OpenAI {
  const azureHeader = options.apiKeyHeader === 'api-key';
  return new OpenAI({
    // Servers without keys (Ollama, vLLM) still get a syntactically valid header.
    apiKey: options.apiKey || 'not-needed',
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: options.timeoutMs,
    maxRetries: 0,
    ...(options.apiVersion ? { defaultQuery: { 'api-version': options.apiVersion } } : {}),
    ...(azureHeader ? { defaultHeaders: { 'api-key': options.apiKey ?? '', authorization: null } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

function paramsFor(model: string, request: ChatRequest): ChatCompletionCreateParamsBase {
  return {
    model,
    messages: request.messages.map(toOpenAi),
    temperature: request.temperature,
    max_tokens: request.maxTokens,
    ...(request.tools?.length
      ? { tools: request.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) }
      : {}),
  };
}

/** Runs one call under a `timeoutMs` deadline; every failure comes out as a {@link ModelError}. */
async function bounded<T>(timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await run(controller.signal);
  } catch (err) {
    throw classify(err, timedOut);
  } finally {
    clearTimeout(timer);
  }
}

function resultOf(completion: ChatCompletion, request: ChatRequest): ChatResult {
  const message = completion.choices[0]?.message;
  const content = message?.content ?? '';
  const toolCalls: ToolCall[] = (message?.tool_calls ?? []).flatMap((c) =>
    c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : [],
  );
  return { content, toolCalls, usage: usageOf(completion.usage, request, content) };
}

/** Streams the content to `onText` as it comes, and puts the tool calls back together from their pieces. */
async function readStream(stream: AsyncIterable<ChatCompletionChunk>, request: ChatRequest, onText: (text: string) => void): Promise<ChatResult> {
  let content = '';
  const calls = new Map<number, ToolCall>();
  let usage: ChatCompletionChunk['usage'] | undefined;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    const delta = chunk.choices[0]?.delta;
    if (!delta) continue;
    if (delta.content) {
      content += delta.content;
      onText(delta.content);
    }
    for (const tc of delta.tool_calls ?? []) {
      const call = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
      if (tc.id) call.id = tc.id;
      if (tc.function?.name) call.name += tc.function.name;
      if (tc.function?.arguments) call.arguments += tc.function.arguments;
      calls.set(tc.index, call);
    }
  }
  const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([i, c]) => ({ ...c, id: c.id || `call_${i}` }));
  return { content, toolCalls, usage: usageOf(usage, request, content) };
}

/** The server's token counts, or an estimate when it reported none. */
function usageOf(usage: ChatCompletionChunk['usage'] | undefined, request: ChatRequest, content: string): ChatResult['usage'] {
  return usage
    ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens }
    : { promptTokens: estimateTokens(JSON.stringify(request.messages)), completionTokens: estimateTokens(content), estimated: true };
}

/**
 * A bare `openai` chat-completions call with nothing of Parley around it: the baseline of
 * `bench/llm.ts` (the benchmark may not import `openai` itself).
 */
export function createDirectCall(options: Pick<OpenAiModelOptions, 'baseURL' | 'apiKey' | 'model' | 'timeoutMs'>) {
  const client = clientFor(options);
  return async (system: string, user: string): Promise<string> => {
    const completion = await client.chat.completions.create({
      model: options.model,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ],
    });
    return completion.choices[0]?.message.content ?? '';
  };
}
