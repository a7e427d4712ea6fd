import type { Normalized, VerifiedRequest } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import type { InboundEvent, SystemEvent } from '../../src/core/message.js';
import { messageEvents } from './events.js';
import { normalizeForm } from './interactive.js';
import { isObject, type Json, type NormalizeOptions, obj, str } from './wire.js';

export type { NormalizeOptions } from './wire.js';

const ok = { status: 200 } as const;

function parseJson(body: Buffer, what: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new ParleyError('BAD_PAYLOAD', `Slack ${what} is not JSON.`, { cause });
  }
  if (!isObject(parsed) || !str(parsed.type)) {
    throw new ParleyError('BAD_PAYLOAD', `Slack ${what} has no "type".`);
  }
  return parsed;
}

function isForm(req: VerifiedRequest): boolean {
  return /application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
}

/**
 * Turns a verified Slack request into the acknowledgement and events.
 *
 * - Events API (JSON): `url_verification` is answered with `{ challenge }`; `event_callback`
 *   becomes 0..1 events with the envelope's `event_id` as event id, so Slack's retries
 *   (`X-Slack-Retry-Num`) carry the same id and the inbox drops them.
 * - Interactivity (form-encoded `payload=`): button and select presses become postbacks.
 *
 * A body that is not Slack's shape throws `BAD_PAYLOAD` (answered 400; Slack gives up
 * after three retries). Unknown event types become `system` events or nothing; nothing in an
 * event's content throws.
 */
export function normalizeSlack(req: VerifiedRequest, options: NormalizeOptions): Normalized {
  if (isForm(req)) return normalizeForm(req.body, options);
  const body = parseJson(req.body, 'event body');
  if (body.type === 'url_verification') {
    const challenge = str(body.challenge);
    if (!challenge) throw new ParleyError('BAD_PAYLOAD', 'Slack url_verification has no challenge.');
    // https://docs.slack.dev/reference/events/url_verification
    return { ack: { status: 200, body: { challenge } }, events: [] };
  }
  if (body.type === 'event_callback') return { ack: ok, events: eventCallback(body, options) };
  if (body.type === 'app_rate_limited') return { ack: ok, events: [rateLimited(body, options)] };
  return { ack: ok, events: [] };
}

/** The bot's own user ids: configured, and the bot installations the event was delivered to. */
function botIds(body: Json, options: NormalizeOptions): Set<string> {
  const ids = new Set<string>(options.botUserId ? [options.botUserId] : []);
  for (const auth of Array.isArray(body.authorizations) ? body.authorizations : []) {
    const userId = str(obj(auth).user_id);
    if (userId && obj(auth).is_bot === true) ids.add(userId);
  }
  return ids;
}

// Why a fallback id: real deliveries always carry `event_id`; recorded or hand-made payloads
// may not, and the id must still be the same on every delivery of the same event.
function eventIdOf(body: Json, event: Json): string {
  const id = str(body.event_id);
  if (id) return id;
  const where = str(event.channel) ?? str(obj(event.item).channel) ?? str(body.team_id) ?? '';
  return `${str(event.type) ?? 'event'}:${where}:${str(event.event_ts) ?? str(event.ts) ?? ''}`;
}

function eventCallback(body: Json, options: NormalizeOptions): InboundEvent[] {
  if (!isObject(body.event)) throw new ParleyError('BAD_PAYLOAD', 'Slack event_callback has no "event".');
  const event = body.event;
  const envelope = {
    options,
    eventId: eventIdOf(body, event),
    team: str(event.team) ?? str(body.team_id),
    botIds: botIds(body, options),
    eventTime: typeof body.event_time === 'number' ? body.event_time * 1000 : undefined,
    raw: body,
  };
  const events = messageEvents(event, envelope);
  if (events) return events;
  return [systemEvent(`slack.${str(event.type) ?? 'unknown'}`, envelope.eventId, event, body, options)];
}

function systemEvent(name: string, eventId: string, event: Json, raw: Json, options: NormalizeOptions): SystemEvent {
  const chatId = str(event.channel) ?? str(obj(event.item).channel) ?? str(raw.team_id) ?? 'slack';
  return {
    type: 'system',
    name,
    channelId: options.channelId,
    eventId,
    ref: { channelId: options.channelId, chatId, userId: str(event.user) ?? '' },
    timestamp: typeof raw.event_time === 'number' ? raw.event_time * 1000 : 0,
    raw,
  };
}

/**
 * Slack stops sending events for a minute when an app gets more than 30,000 an hour; this is
 * recorded so operators see that events were dropped.
 * https://docs.slack.dev/reference/events/app_rate_limited
 */
function rateLimited(body: Json, options: NormalizeOptions): SystemEvent {
  const minute = typeof body.minute_rate_limited === 'number' ? body.minute_rate_limited : 0;
  const event = systemEvent('slack.app_rate_limited', `app_rate_limited:${str(body.team_id) ?? ''}:${minute}`, {}, body, options);
  return { ...event, timestamp: minute * 1000, detail: 'Slack dropped events for one minute (over 30,000 an hour).' };
}
