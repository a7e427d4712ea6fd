import { z } from 'zod';
import type { Normalized } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import type { InboundEvent, Part } from '../../src/core/message.js';
import type { Session } from './session.js';

const clientId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.:-]+$/, 'clientId uses letters, digits, _ . : -');
const locale = z
  .string()
  .max(35)
  .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/)
  .optional();

/** A file the widget uploaded first (`POST /webchat/upload`): the reference it was given, checked again by media intake. */
const upload = z.object({
  ref: z.string().regex(/^upload:[a-f0-9]{64}\.[\w-]{32}$/, 'use the ref the upload answered'),
  kind: z.enum(['image', 'video', 'audio', 'file']),
  name: z.string().max(200).optional(),
});

const schemas = new Map<number, ReturnType<typeof buildFrameSchema>>();

/** What the widget sends, over the socket or the HTTP fallback (built once per text limit). */
function frameSchema(maxTextLength: number) {
  let schema = schemas.get(maxTextLength);
  if (!schema) schemas.set(maxTextLength, (schema = buildFrameSchema(maxTextLength)));
  return schema;
}

function buildFrameSchema(maxTextLength: number) {
  return z.discriminatedUnion('type', [
    z
      .object({
        type: z.literal('message'),
        clientId,
        text: z.string().trim().min(1).max(maxTextLength).optional(),
        media: z.array(upload).min(1).max(4).optional(),
        locale,
      })
      .refine((f) => f.text !== undefined || f.media !== undefined, { message: 'needs text or media', path: ['text'] }),
    z.object({ type: z.literal('postback'), clientId, payload: z.string().min(1).max(256), label: z.string().max(200).optional(), locale }),
    z.object({
      type: z.literal('language'),
      clientId: clientId.optional(),
      language: z
        .string()
        .max(35)
        .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/),
    }),
  ]);
}

/** A frame the widget may send. */
export type Frame = z.infer<ReturnType<typeof frameSchema>>;

/** Parses a body into a frame; bad JSON or an unknown shape is a BAD_PAYLOAD (400). */
export function parseFrame(body: Buffer | string, maxTextLength: number): Frame {
  let json: unknown;
  try {
    json = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    throw new ParleyError('BAD_PAYLOAD', 'The body is not valid JSON.');
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (!['message', 'postback', 'language'].includes(String(type))) {
    throw new ParleyError('BAD_PAYLOAD', `Unknown event type "${String(type)}": use message, postback or language.`);
  }
  const parsed = frameSchema(maxTextLength).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ParleyError('BAD_PAYLOAD', `Invalid ${String(type)}: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
}

/** Turns a frame from a session into an inbound event. Pure. */
export function frameToEvent(frame: Frame, session: Session, channelId: string, now: number): InboundEvent {
  const ref = { channelId, chatId: session.sid, userId: session.sid };
  const id = frame.clientId ?? `lang-${now}`;
  const base = { channelId, eventId: `${session.sid}:${id}`, ref, timestamp: now };
  switch (frame.type) {
    case 'message':
      return {
        ...base,
        type: 'message',
        messageId: id,
        parts: [...(frame.text ? [{ kind: 'text' as const, text: frame.text }] : []), ...(frame.media ?? []).map(uploadPart)],
        ...(frame.locale ? { hints: { locale: frame.locale } } : {}),
      };
    case 'postback':
      return {
        ...base,
        type: 'postback',
        messageId: id,
        payload: frame.payload,
        ...(frame.label ? { label: frame.label } : {}),
        ...(frame.locale ? { hints: { locale: frame.locale } } : {}),
      };
    case 'language':
      return { ...base, type: 'system', name: 'language', detail: frame.language, hints: { explicit: frame.language } };
  }
}

function uploadPart(m: { ref: string; kind: 'image' | 'video' | 'audio' | 'file'; name?: string | undefined }): Part {
  if (m.kind === 'audio') return { kind: 'audio', url: m.ref };
  return { kind: m.kind, url: m.ref, ...(m.name ? { name: m.name } : {}) };
}

/** The HTTP fallback's acknowledgement. `id` is the event id, not the stored message's: the widget matches the echo by clientId. */
export function normalizedFor(event: InboundEvent): Normalized {
  return { ack: { status: 200, body: { ok: true, id: event.eventId } }, events: [event] };
}
