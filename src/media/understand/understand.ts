/**
 * The media stage of a turn (PipelineDeps.understand): after intake has stored a message's media
 * and before its language is settled, voice notes are transcribed (the transcript is read as the
 * turn's text and kept on the part for agents) and every photo, video and file is described for
 * the answerer, with its bytes to load or the reason there are none. Nothing is dropped: what
 * Parley cannot hear or see is named, and the answerer hands it to a person.
 */
import type { TurnMedia } from '../../core/answerer.js';
import type { AudioPart, MessageEvent, Part } from '../../core/message.js';
import type { Understood } from '../../core/pipeline.js';
import type { Logger } from '../../core/ports.js';
import type { MediaStore } from '../port.js';
import { type ConvertOptions, ConversionError, forTranscription } from './convert.js';
import type { Transcriber } from './transcriber.js';

/** What {@link createUnderstanding} needs. */
export interface UnderstandingDeps {
  /** Where intake put the bytes. */
  media: MediaStore;
  /** Absent: voice notes are not transcribed (offline default) and reach a person. */
  transcriber?: Transcriber;
  convert: ConvertOptions;
  /** Longer voice notes (as the platform or the decoder says) are not sent. */
  maxDurationSec: number;
  log: Logger;
}

/**
 * The pipeline's `understand` port.
 *
 * @example
 * ```ts
 * const understand = createUnderstanding({ media, transcriber, convert: { format: 'auto', ffmpeg: 'ffmpeg', timeoutMs: 30000 }, maxDurationSec: 300, log });
 * const { parts, media: described } = await understand(event); // parts: voice notes with `transcript`
 * ```
 */
export function createUnderstanding(deps: UnderstandingDeps): (event: MessageEvent) => Promise<Understood> {
  const log = deps.log.child({ stage: 'media' });
  const heardBefore = new Map<string, string>();
  return async (event) => {
    const media: TurnMedia[] = [];
    const parts: Part[] = [];
    for (const part of event.parts) {
      if (part.kind === 'audio') {
        const heard = await hear(deps, part, log, heardBefore);
        parts.push(heard.part);
        media.push(heard.media);
        continue;
      }
      parts.push(part);
      if (part.kind === 'image' || part.kind === 'video' || part.kind === 'file') media.push(describe(deps, part));
    }
    return { parts, media };
  };
}

/** A photo, video or file: its bytes to load, or why there are none. */
function describe(deps: UnderstandingDeps, part: Extract<Part, { kind: 'image' | 'video' | 'file' }>): TurnMedia {
  const mimeType = part.stored?.mimeType ?? part.mimeType;
  const base = { kind: part.kind, ...(mimeType ? { mimeType } : {}) };
  const stored = part.stored;
  if (!stored) return { ...base, problem: part.intakeError?.code ?? 'not_stored' };
  return { ...base, load: () => bytesOf(deps.media, stored.id) };
}

async function bytesOf(media: MediaStore, id: string): Promise<Buffer> {
  const got = await media.get(id);
  if (!got) throw new Error(`Media ${id} is no longer in the media store.`);
  return got.data;
}

/** A voice note: the platform's transcript (WeChat Recognition), Parley's, or why there is none. */
async function hear(deps: UnderstandingDeps, part: AudioPart, log: Logger, heardBefore: Map<string, string>): Promise<{ part: AudioPart; media: TurnMedia }> {
  const mimeType = part.stored?.mimeType ?? part.mimeType;
  const base: TurnMedia = { kind: 'audio', ...(mimeType ? { mimeType } : {}) };
  // The platform listened already: no call, no cost.
  if (part.transcript?.trim()) return { part, media: { ...base, transcribed: true } };
  const unheard = (problem: string) => ({ part, media: { ...base, problem } });
  if (!deps.transcriber) return unheard('no_transcriber');
  if (!part.stored) return unheard(part.intakeError?.code ?? 'not_stored');
  if (part.durationSec !== undefined && part.durationSec > deps.maxDurationSec) return unheard('too_long');
  // A turn re-run after a crash, or the same note forwarded again: the same bytes, heard once.
  const known = heardBefore.get(part.stored.sha256);
  if (known) return { part: { ...part, transcript: known }, media: { ...base, transcribed: true } };
  const started = Date.now();
  try {
    const got = await deps.media.get(part.stored.id);
    if (!got) return unheard('not_stored');
    const file = await forTranscription({ data: got.data, mimeType: got.media.mimeType }, deps.convert);
    const transcript = await deps.transcriber.transcribe(file);
    log.info({ ms: Date.now() - started, bytes: file.data.length, format: file.name, chars: transcript.length }, 'voice note transcribed');
    if (transcript) remember(heardBefore, part.stored.sha256, transcript);
    return transcript ? { part: { ...part, transcript }, media: { ...base, transcribed: true } } : unheard('transcription_empty');
  } catch (err) {
    // Said once per note, never with its words: an operator fixes ffmpeg or the endpoint, the shopper gets a person.
    if (err instanceof ConversionError && err.reason === 'ffmpeg_missing') log.error({ err }, 'voice note not transcribed: ffmpeg is missing');
    else log.warn({ err, ms: Date.now() - started }, 'voice note not transcribed');
    return unheard('transcription_failed');
  }
}

/** Transcripts kept by the notes' SHA-256, the oldest forgotten first (a few hundred KB at most). */
const REMEMBERED = 1000;

function remember(heard: Map<string, string>, sha256: string, transcript: string): void {
  heard.set(sha256, transcript);
  if (heard.size > REMEMBERED) heard.delete(heard.keys().next().value as string);
}
