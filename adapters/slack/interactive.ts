import type { Normalized } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import type { PostbackEvent, SystemEvent } from '../../src/core/message.js';
import { isDmId, isObject, type Json, list, type NormalizeOptions, obj, slackRef, str, tsToMs } from './wire.js';

/** Action ids of link buttons Parley renders: a click opens the page and sends nothing back. */
export const linkActionPrefix = 'parley_link_';

const ok = { status: 200 } as const;

function parsePayload(text: string): Json {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch (cause) {
    throw new ParleyError('BAD_PAYLOAD', 'Slack interaction payload is not JSON.', { cause });
  }
  throw new ParleyError('BAD_PAYLOAD', 'Slack interaction payload is not an object.');
}

/**
 * Form-encoded requests to the same URL: interactivity (`payload=<json>`) and slash commands.
 * Both are acknowledged with an empty 200, which leaves the message as it is and closes modals.
 * https://docs.slack.dev/interactivity/handling-user-interaction
 */
export function normalizeForm(body: Buffer, options: NormalizeOptions): Normalized {
  const form = new URLSearchParams(body.toString('utf8'));
  const payload = form.get('payload');
  if (payload !== null) {
    const p = parsePayload(payload);
    return { ack: ok, events: p.type === 'block_actions' ? blockActions(p, options) : [] };
  }
  if (form.get('command')) return { ack: ok, events: slashCommand(form, options) };
  // Slack checks a slash command's certificate with `ssl_check=1`; nothing to do.
  if (form.get('ssl_check')) return { ack: ok, events: [] };
  throw new ParleyError('BAD_PAYLOAD', 'Slack form body has neither "payload" nor "command".');
}

/** The payload id and label of a pressed button or picked option; nothing for link buttons. */
function picked(action: Json): { payload: string; label?: string } | undefined {
  const actionId = str(action.action_id) ?? '';
  if (actionId.startsWith(linkActionPrefix) || str(action.url)) return undefined;
  const option = obj(action.selected_option);
  if (isObject(action.selected_option)) {
    const value = str(option.value);
    const label = str(obj(option.text).text);
    return value ? { payload: value, ...(label ? { label } : {}) } : undefined;
  }
  if (action.type !== 'button') return undefined;
  // Why the action id: buttons from other apps' messages may carry no value.
  const payload = str(action.value) ?? actionId;
  const label = str(obj(action.text).text);
  return payload ? { payload, ...(label ? { label } : {}) } : undefined;
}

/**
 * Button presses and select picks in messages become postbacks. The event id is the
 * interaction's `trigger_id` (unique per press), with the action's index when a payload holds
 * several; without one, the message and action timestamps. Actions in modals or App Home
 * (no channel) are not conversations and give nothing.
 * https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
 */
function blockActions(p: Json, options: NormalizeOptions): PostbackEvent[] {
  const container = obj(p.container);
  const channel = str(obj(p.channel).id) ?? str(container.channel_id);
  const user = str(obj(p.user).id);
  if (!channel || !user) return [];
  const message = obj(p.message);
  const ref = slackRef(
    options.channelId,
    { channel, user, ts: str(container.message_ts), threadTs: str(message.thread_ts) ?? str(container.thread_ts) },
    { team: str(obj(p.team).id), userTeam: str(obj(p.user).team_id), channelType: isDmId(channel) ? 'im' : undefined },
  );
  const actions = list(p.actions);
  const trigger = str(p.trigger_id);
  return actions.flatMap((action, i): PostbackEvent[] => {
    const choice = picked(action);
    if (!choice) return [];
    const actionTs = str(action.action_ts) ?? '';
    const id = trigger ? (actions.length === 1 ? trigger : `${trigger}:${i}`) : `${str(container.message_ts) ?? ''}:${actionTs}`;
    return [
      {
        type: 'postback',
        channelId: options.channelId,
        eventId: id,
        ref,
        timestamp: tsToMs(actionTs) ?? 0,
        ...choice,
        raw: p,
      },
    ];
  });
}

/**
 * Slash commands are not a Parley feature; one that points here is recorded (command name
 * only: its text is the shopper's) so operators notice.
 */
function slashCommand(form: URLSearchParams, options: NormalizeOptions): SystemEvent[] {
  const trigger = form.get('trigger_id');
  const channel = form.get('channel_id');
  if (!trigger || !channel) return [];
  return [
    {
      type: 'system',
      name: 'slack.slash_command',
      detail: form.get('command') ?? '',
      channelId: options.channelId,
      eventId: `command:${trigger}`,
      ref: slackRef(options.channelId, { channel, user: form.get('user_id') ?? '' }, { team: form.get('team_id') ?? undefined }),
      timestamp: 0,
      raw: Object.fromEntries(form),
    },
  ];
}
