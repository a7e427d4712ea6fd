/**
 * The `transcription:` block of the gateway configuration (docs/media.md#transcription): the
 * OpenAI-compatible `/audio/transcriptions` endpoint voice notes are sent to.
 */
import { z } from 'zod';

const bool = (def: boolean) => z.union([z.boolean(), z.stringbool()]).default(def);

/** The `transcription:` block. Off by default: voice notes then reach a person with an honest reply. */
export const transcriptionSchema = z
  .object({
    enabled: bool(false),
    /** OpenAI (default), Groq (`https://api.groq.com/openai/v1`), a whisper.cpp or faster-whisper server (`http://127.0.0.1:8080/v1`). */
    baseURL: z.url().optional(),
    apiKey: z.string().optional(),
    /** `whisper-1` (OpenAI), `whisper-large-v3-turbo` (Groq), whatever a local server loaded. */
    model: z.string().min(1).default('whisper-1'),
    timeoutMs: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    /** Longer voice notes are not sent (cost, latency): a person listens to them. */
    maxDurationSec: z.coerce.number().int().min(1).max(7200).default(300),
    /**
     * `auto`: formats Whisper takes (OGG/Opus, MP3, M4A, WAV, WebM, FLAC) go as they are, others
     * (AMR, SILK, AAC, 3GP) become WAV. `wav`: everything becomes 16 kHz mono WAV (a whisper.cpp
     * server started without `--convert` reads nothing else).
     */
    format: z.enum(['auto', 'wav']).default('auto'),
    /** The ffmpeg binary (Debian: `apt-get install ffmpeg`). */
    ffmpeg: z.string().min(1).default('ffmpeg'),
  })
  .prefault({})
  .refine((t) => !t.enabled || t.baseURL || t.apiKey, {
    message:
      'transcription.apiKey is required for OpenAI (set it from an env var, e.g. "${OPENAI_API_KEY}"), or set transcription.baseURL to a local whisper server',
    path: ['apiKey'],
  });

/** The validated `transcription:` block. */
export type TranscriptionSettings = z.infer<typeof transcriptionSchema>;
