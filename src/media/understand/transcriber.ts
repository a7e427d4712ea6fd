/**
 * Voice notes to text through an OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI
 * Whisper, Groq, a whisper.cpp or faster-whisper server), with the `openai` package.
 */
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError, toFile } from 'openai';
import { ParleyError } from '../../core/errors.js';

/** A voice note ready to send: in a format the endpoint takes, with a file name that says so. */
export interface AudioFile {
  data: Buffer;
  mimeType: string;
  /** The extension is what most servers go by: `voice.ogg`, `voice.wav`. */
  name: string;
}

/**
 * Turns a voice note into text.
 *
 * @example
 * ```ts
 * const text = await transcriber.transcribe({ data, mimeType: 'audio/ogg', name: 'voice.ogg' });
 * ```
 */
export interface Transcriber {
  transcribe(audio: AudioFile): Promise<string>;
}

/** Connection settings (the `transcription:` block). */
export interface TranscriberOptions {
  baseURL?: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Operator metrics: told of every call. */
  observe?: TranscriptionObserver | undefined;
}

/** `TRANSCRIPTION_FAILED`: the endpoint refused, failed or did not answer in time. */
class TranscriptionError extends ParleyError<'TRANSCRIPTION_FAILED'> {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super('TRANSCRIPTION_FAILED', message, options);
    this.name = 'TranscriptionError';
  }
}

/** Told of every transcription call: how long it took and, when it failed, why (`timeout`, `refused`, `unreachable`). */
export type TranscriptionObserver = (ms: number, failure?: 'timeout' | 'refused' | 'unreachable') => void;

/** The `openai` client for the endpoint: bounded by `timeoutMs`, no client retries. */
function clientFor(options: Pick<TranscriberOptions, 'baseURL' | 'apiKey' | 'timeoutMs' | 'fetch'>): OpenAI {
  return new OpenAI({
    // Local servers need no key but the client wants one.
    apiKey: options.apiKey || 'not-needed',
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: options.timeoutMs,
    maxRetries: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/**
 * A {@link Transcriber} over the `openai` client: one call per voice note, bounded by
 * `timeoutMs`, no client retries (a failed note goes to a person instead of holding the turn).
 *
 * @example
 * ```ts
 * const transcriber = createOpenAiTranscriber({ baseURL: 'https://api.groq.com/openai/v1', apiKey, model: 'whisper-large-v3-turbo', timeoutMs: 30000 });
 * ```
 */
export function createOpenAiTranscriber(options: TranscriberOptions): Transcriber {
  const client = clientFor(options);
  return {
    async transcribe(audio) {
      const signal = AbortSignal.timeout(options.timeoutMs);
      const started = performance.now();
      try {
        const file = await toFile(audio.data, audio.name, { type: audio.mimeType });
        const result = await client.audio.transcriptions.create({ file, model: options.model, response_format: 'json' }, { signal });
        options.observe?.(performance.now() - started);
        return result.text.trim();
      } catch (err) {
        const error = failure(err, signal.aborted);
        options.observe?.(performance.now() - started, error.status !== undefined ? 'refused' : signal.aborted ? 'timeout' : 'unreachable');
        throw error;
      }
    },
  };
}

function failure(err: unknown, timedOut: boolean): TranscriptionError {
  if (timedOut || err instanceof APIConnectionTimeoutError || err instanceof APIUserAbortError) {
    return new TranscriptionError('The transcription endpoint did not answer in time (transcription.timeoutMs).', undefined, { cause: err });
  }
  if (err instanceof APIError && err.status !== undefined) {
    const hint =
      err.status === 401 || err.status === 403
        ? ' Check transcription.apiKey.'
        : err.status === 404
          ? ' Check transcription.baseURL and transcription.model.'
          : '';
    return new TranscriptionError(`The transcription endpoint refused the voice note (HTTP ${err.status}).${hint}`, err.status, { cause: err });
  }
  return new TranscriptionError('Cannot reach the transcription endpoint. Check transcription.baseURL.', undefined, { cause: err });
}

/**
 * A bare `openai` transcription call with nothing of Parley around it: the baseline of
 * `bench/media.ts` (the benchmark does not import `openai` itself).
 */
export function createDirectTranscription(options: Pick<TranscriberOptions, 'baseURL' | 'apiKey' | 'model' | 'timeoutMs'>) {
  const client = clientFor(options);
  return async (data: Buffer, name: string): Promise<string> =>
    (await client.audio.transcriptions.create({ file: await toFile(data, name), model: options.model })).text;
}
