/**
 * A local server speaking the OpenAI chat-completions protocol (JSON and SSE streaming, tool
 * calls, usage, errors, image content parts) and the audio transcription protocol (multipart
 * `POST /audio/transcriptions`), so tests and benchmarks run the real `openai` client. Every
 * request body is recorded: tests assert on exactly what would have left for a model provider.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Answer, PlatformServer, type Received } from './platform-server.js';

/** A content part of a user message: text, or an image as a URL (`data:` URLs for uploaded photos). */
type WirePart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } };

/**
 * A chat-completions message as received (OpenAI wire format), except that a content array is
 * read into `content` (its text parts) and `images` (its `image_url` parts).
 */
interface WireMessage {
  role: string;
  content?: string | null;
  /** The URLs of the message's `image_url` content parts. */
  images?: string[];
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

/** One request the server received. */
export interface ReceivedChat {
  raw: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  model: string;
  messages: WireMessage[];
  tools: { function: { name: string } }[];
  stream: boolean;
}

/** What the scripted model answers. */
interface ModelReply {
  content?: string;
  toolCalls?: { name: string; arguments: object }[];
  /** An HTTP error instead of a completion. */
  status?: number;
  headers?: Record<string, string>;
  /** Wait before answering (timeouts, latency benchmarks). */
  delayMs?: number;
  usage?: { prompt: number; completion: number };
  /** Characters per streamed chunk. Default 12. */
  chunkSize?: number;
  /** Streaming: the connection drops after this many characters of content (a provider failing mid-answer). */
  dropAfter?: number;
}

/** Decides the reply from the request. */
export type ModelScript = (request: ReceivedChat, index: number) => ModelReply | Promise<ModelReply>;

/** One `POST /audio/transcriptions` as the server read it from the multipart body. */
export interface ReceivedTranscription {
  path: string;
  headers: IncomingMessage['headers'];
  /** The request's content type: `multipart/form-data; boundary=...`. */
  contentType: string;
  /** The other form fields (`model`, `response_format`, `language`...). */
  fields: Record<string, string>;
  /** The `file` field: its file name, its part's content type, its bytes. */
  file?: { name: string; type: string; data: Buffer };
}

/** What the scripted transcriber answers: `text`, or an HTTP error, maybe late. */
interface TranscriptionReply {
  text?: string;
  status?: number;
  delayMs?: number;
}

/** Decides the transcript from the upload. */
export type TranscriptionScript = (request: ReceivedTranscription, index: number) => TranscriptionReply | Promise<TranscriptionReply>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A wire message with a content array read into its text and its images. */
function readMessage(m: Omit<WireMessage, 'content'> & { content?: string | WirePart[] | null }): WireMessage {
  if (!Array.isArray(m.content)) return m as WireMessage;
  const text = m.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
  return { ...m, content: text, images: m.content.flatMap((p) => (p.type === 'image_url' ? [p.image_url.url] : [])) };
}

/** The image URLs of the last user message (content parts of type `image_url`). */
export function userImages(request: ReceivedChat): string[] {
  return [...request.messages].reverse().find((m) => m.role === 'user')?.images ?? [];
}

/** The text inside `<shopper_message>` of the last user message. */
export function shopperText(request: ReceivedChat): string {
  const user = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  return /<shopper_message>\n([\s\S]*?)\n<\/shopper_message>/.exec(user)?.[1] ?? user;
}

/** Results of the tool calls answered so far in this request (parsed JSON). */
export function toolResults(request: ReceivedChat): Record<string, unknown>[] {
  return request.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(m.content ?? '{}') as Record<string, unknown>);
}

/** Titles of the knowledge sections in the last user message. */
export function sectionTitles(request: ReceivedChat): string[] {
  const user = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  return [...user.matchAll(/<section title="([^"]*)">/g)].map((m) => m[1] as string);
}

/** The local model server. */
export class ModelServer {
  readonly received: ReceivedChat[] = [];
  /** Every transcription upload (unless `record: false`). */
  readonly transcriptions: ReceivedTranscription[] = [];
  /** Answers `POST /audio/transcriptions`; without it that path answers 404 like a chat-only server. */
  transcribe: TranscriptionScript | undefined;
  readonly #server: PlatformServer;
  #count = 0;
  /** Base URL for the `openai` client (`http://127.0.0.1:<port>/v1`). */
  url = '';

  /** `record: false` keeps no request bodies (benchmarks). */
  constructor(
    public script: ModelScript,
    private readonly options: { record?: boolean } = {},
  ) {
    this.#server = new PlatformServer((req) => this.#answer(req), { record: false, keepAliveMs: 30_000 });
  }

  async start(): Promise<this> {
    await this.#server.start();
    this.url = `${this.#server.url}/v1`;
    return this;
  }

  close(): Promise<void> {
    return this.#server.stop();
  }

  #transcription(req: Received): Promise<Answer> {
    return transcriptionAnswer(req, this.transcribe, (r) => (this.options.record === false ? this.#count++ : this.transcriptions.push(r) - 1));
  }

  /** Every byte that reached the "provider", joined. */
  allBodies(): string {
    return this.received.map((r) => r.raw).join('\n');
  }

  async #answer(req: Received): Promise<Answer> {
    if (req.path.endsWith('/audio/transcriptions')) return this.#transcription(req);
    const { request, includeUsage } = readChat(req);
    const index = this.options.record === false ? this.#count++ : this.received.push(request) - 1;
    const reply = await this.script(request, index);
    const delay = reply.delayMs ? { delayMs: reply.delayMs } : {};
    if (reply.status && reply.status >= 400) {
      return {
        status: reply.status,
        json: { error: { message: 'scripted failure', type: 'server_error', code: null } },
        ...(reply.headers ? { headers: reply.headers } : {}),
        ...delay,
      };
    }
    const completion = completionOf(reply, request, index);
    if (!request.stream) return { json: chatCompletion(completion, reply), ...delay };
    return { stream: (res) => writeStream(res, completion, reply, includeUsage), ...delay };
  }
}

/** OpenAI's transcription answer (`response_format: json`): `{ text }`. */
async function transcriptionAnswer(req: Received, script: TranscriptionScript | undefined, record: (r: ReceivedTranscription) => number): Promise<Answer> {
  if (!script) return { status: 404, json: { error: { message: 'Not found', type: 'invalid_request_error' } } };
  const request = await readUpload(req);
  const reply = await script(request, record(request));
  const delay = reply.delayMs ? { delayMs: reply.delayMs } : {};
  if (reply.status && reply.status >= 400) return { status: reply.status, json: { error: { message: 'scripted failure', type: 'server_error' } }, ...delay };
  return { json: { text: reply.text ?? '' }, ...delay };
}

/** The multipart body, parsed by the platform's own form-data reader (undici), not by hand. */
async function readUpload(req: Received): Promise<ReceivedTranscription> {
  const contentType = String(req.headers['content-type'] ?? '');
  const form = await new Request('http://local/upload', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new Uint8Array(req.bytes),
  }).formData();
  const fields: Record<string, string> = {};
  for (const name of ['model', 'response_format', 'language', 'prompt', 'temperature']) {
    const value = form.get(name);
    if (typeof value === 'string') fields[name] = value;
  }
  const upload = form.get('file');
  const file = upload && typeof upload !== 'string' ? { name: upload.name, type: upload.type, data: Buffer.from(await upload.arrayBuffer()) } : undefined;
  return { path: req.path, headers: req.headers, contentType, fields, ...(file ? { file } : {}) };
}

/** A request body as the server reads it, and whether a streamed answer should end with usage. */
function readChat(req: Received): { request: ReceivedChat; includeUsage: boolean } {
  const raw = req.body;
  const body = JSON.parse(raw || '{}') as {
    model?: string;
    messages?: Parameters<typeof readMessage>[0][];
    tools?: { function: { name: string } }[];
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
  };
  const request: ReceivedChat = {
    raw,
    path: req.path,
    query: req.query,
    headers: req.headers,
    model: body.model ?? '',
    messages: (body.messages ?? []).map(readMessage),
    tools: body.tools ?? [],
    stream: Boolean(body.stream),
  };
  return { request, includeUsage: Boolean(body.stream_options?.include_usage) };
}

/** What both answer shapes (JSON and SSE) carry: the envelope, tool calls in wire format, usage. */
interface Completion {
  base: { id: string; created: number; model: string };
  toolCalls: { id: string; type: string; function: { name: string; arguments: string } }[];
  finish: 'tool_calls' | 'stop';
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function completionOf(reply: ModelReply, request: ReceivedChat, index: number): Completion {
  const prompt = reply.usage?.prompt ?? Math.ceil(request.raw.length / 4);
  const completion = reply.usage?.completion ?? Math.ceil((reply.content ?? '').length / 4);
  const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
    id: `call_${index}_${i}`,
    type: 'function',
    function: { name: c.name, arguments: JSON.stringify(c.arguments) },
  }));
  return {
    base: { id: `chatcmpl-${index}`, created: Math.floor(Date.now() / 1000), model: request.model },
    toolCalls,
    finish: toolCalls.length ? 'tool_calls' : 'stop',
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

function chatCompletion({ base, toolCalls, finish, usage }: Completion, reply: ModelReply): object {
  return {
    ...base,
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.content ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: finish,
      },
    ],
    usage,
  };
}

/** Server-sent chunks: the content in `chunkSize` pieces, then each tool call's arguments in pieces of 16. */
async function writeStream(res: ServerResponse, { base, toolCalls, finish, usage }: Completion, reply: ModelReply, includeUsage: boolean): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (delta: object, finishReason: string | null = null) =>
    res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`);
  send({ role: 'assistant', content: '' });
  const size = reply.chunkSize ?? 12;
  const content = reply.content ?? '';
  for (let i = 0; i < content.length; i += size) {
    if (reply.dropAfter !== undefined && i >= reply.dropAfter) {
      await sleep(20);
      res.destroy();
      return;
    }
    send({ content: content.slice(i, i + size) });
  }
  toolCalls.forEach((c, i) => {
    send({ tool_calls: [{ index: i, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] });
    const args = c.function.arguments;
    for (let j = 0; j < args.length; j += 16) send({ tool_calls: [{ index: i, function: { arguments: args.slice(j, j + 16) } }] });
  });
  send({}, finish);
  if (includeUsage) res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}
