/**
 * The media stage as the configuration asks for it: with `transcription.enabled` voice notes are
 * transcribed (and ffmpeg's presence is checked once, at start, so a missing one is an operator
 * message before the first AMR note); without it they reach a person with an honest reply.
 */
import type { MessageEvent } from '../../core/message.js';
import type { Understood } from '../../core/pipeline.js';
import type { Logger } from '../../core/ports.js';
import type { MediaStore } from '../port.js';
import type { TranscriptionSettings } from './config.js';
import { ffmpegVersion } from './convert.js';
import { createOpenAiTranscriber, type TranscriptionObserver } from './transcriber.js';
import { createUnderstanding } from './understand.js';

/** What the operator is told when ffmpeg is missing (start-up log, `parley check`). */
export const FFMPEG_MISSING =
  'ffmpeg is not installed: AMR, AAC and 3GP voice notes (WeChat, WeCom and some others) cannot be transcribed and go to a person. Install it (Debian/Ubuntu: apt-get install ffmpeg) or set transcription.ffmpeg.';

/**
 * The pipeline's `understand` port from the `transcription:` block.
 *
 * @example
 * ```ts
 * createPipeline({ ...deps, understand: createMediaUnderstanding(config.transcription, { media: store, log }) });
 * ```
 */
export function createMediaUnderstanding(
  settings: TranscriptionSettings,
  deps: { media: MediaStore; log: Logger; fetch?: typeof fetch; observe?: TranscriptionObserver | undefined },
): (event: MessageEvent) => Promise<Understood> {
  const log = deps.log.child({ stage: 'media' });
  const transcriber = settings.enabled
    ? createOpenAiTranscriber({
        model: settings.model,
        timeoutMs: settings.timeoutMs,
        ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        observe: deps.observe,
      })
    : undefined;
  if (transcriber) {
    void ffmpegVersion(settings.ffmpeg).then((version) =>
      version ? log.info({ model: settings.model, ffmpeg: version }, 'voice notes are transcribed') : log.warn({ ffmpeg: settings.ffmpeg }, FFMPEG_MISSING),
    );
  } else log.info({}, 'transcription is off: voice notes go to a person (transcription.enabled)');
  return createUnderstanding({
    media: deps.media,
    ...(transcriber ? { transcriber } : {}),
    convert: { format: settings.format, ffmpeg: settings.ffmpeg, timeoutMs: settings.timeoutMs },
    maxDurationSec: settings.maxDurationSec,
    log: deps.log,
  });
}
