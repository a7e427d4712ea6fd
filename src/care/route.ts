import type { ChannelAdapter } from '../core/adapter.js';
import type { MembershipEvent, OutboundMessage } from '../core/message.js';
import type { Conversation } from '../core/store.js';
import type { CareDeps } from './deps.js';
import type { CareProfile } from './types.js';

/** A conversation a care message may go into, and its channel. */
export interface Route {
  conversation: Conversation;
  adapter: ChannelAdapter;
}

const unreachableKey = (channelId: string, userId: string) => `care:unreachable:${channelId}:${userId}`;

/** Whether the shopper unfollowed or blocked the channel (no proactive messages there). */
async function unreachable(deps: CareDeps, channelId: string, userId: string): Promise<boolean> {
  return (await deps.store.kvGet(unreachableKey(channelId, userId), deps.clock.now())) !== undefined;
}

/**
 * Records a follow, unfollow or block: a shopper who unfollowed or blocked a channel is not
 * messaged there until they follow or unblock it again.
 */
export async function recordMembership(deps: CareDeps, event: MembershipEvent): Promise<void> {
  const key = unreachableKey(event.channelId, event.ref.userId);
  const now = deps.clock.now();
  if (event.change === 'unfollow' || event.change === 'blocked') await deps.store.kvSet(key, event.change, undefined);
  else await deps.store.kvSet(key, event.change, now);
}

/**
 * The conversations to try, best first: the shopper's preferred channel, else the one they
 * used last; then `care.channelOrder`; then any other channel they are on, most recent first.
 */
export async function routesFor(deps: CareDeps, shopperId: string, profile: CareProfile | undefined): Promise<Route[]> {
  const byChannel = new Map<string, Conversation>();
  for (const c of await deps.care.conversationsOf(shopperId)) {
    if (await unreachable(deps, c.channelId, c.ref.userId)) continue;
    const seen = byChannel.get(c.channelId);
    if (!seen || (c.lastInboundAt ?? 0) > (seen.lastInboundAt ?? 0)) byChannel.set(c.channelId, c);
  }
  for (const identity of await deps.care.identitiesOf(shopperId)) {
    const adapter = deps.channel(identity.channelId);
    // Only where the one-to-one chat id is the user id can a conversation start by push.
    if (byChannel.has(identity.channelId) || !adapter?.capabilities.pushByUserId) continue;
    if (await unreachable(deps, identity.channelId, identity.platformUserId)) continue;
    const ref = { channelId: identity.channelId, chatId: identity.platformUserId, userId: identity.platformUserId };
    byChannel.set(identity.channelId, await deps.store.ensureConversation(ref, shopperId, deps.clock.now()));
  }
  const usable = [...byChannel.values()].filter((c) => deps.channel(c.channelId));
  const recent = [...usable].sort((a, b) => (b.lastInboundAt ?? 0) - (a.lastInboundAt ?? 0));
  const preferred = profile?.preferredChannel ? byChannel.get(profile.preferredChannel) : undefined;
  const ordered = [
    ...(preferred && deps.channel(preferred.channelId) ? [preferred] : recent.slice(0, 1)),
    ...deps.settings.channelOrder.flatMap((id) => byChannel.get(id) ?? []),
    ...recent,
  ];
  const unique = [...new Set(ordered)];
  return unique.map((conversation) => ({ conversation, adapter: deps.channel(conversation.channelId) as ChannelAdapter }));
}

/**
 * Why a message cannot go through a route now, or undefined when it can: a closed messaging
 * window with no approved template (WhatsApp) or no template API (WeChat) refuses it.
 */
export function windowRefusal(route: Route, message: OutboundMessage, language: string, now: number): string | undefined {
  const window = route.adapter.capabilities.messagingWindowMs;
  const last = route.conversation.lastInboundAt;
  if (!window || (last !== undefined && now - last < window)) return undefined;
  const hours = Math.round(window / 3_600_000);
  const channel = route.conversation.channelId;
  if (!route.adapter.outsideWindow) {
    return `${channel}: the ${hours}-hour messaging window is closed and the channel has no template message API configured`;
  }
  const context = { language, role: 'bot' as const, now, ...(last !== undefined ? { lastInboundAt: last } : {}) };
  if (!route.adapter.outsideWindow(message, route.conversation.ref, context)) {
    return message.template
      ? `${channel}: the ${hours}-hour messaging window is closed and no approved template "${message.template.key}" is configured for language "${language}"`
      : `${channel}: the ${hours}-hour messaging window is closed and the channel lets only a person's reply through after it`;
  }
  return undefined;
}
