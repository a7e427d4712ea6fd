import type { Conversation, Shopper } from '../core/store.js';
import { compose } from './compose.js';
import { type CareDeps, DAY_MS } from './deps.js';
import { safeZone } from './format.js';
import { type Route, routesFor, windowRefusal } from './route.js';
import { quietUntil, zoneOfPhone } from './timezone.js';
import type { CareMessage, CareProfile, CareStatus } from './types.js';

/** The locale a care message is written in: what the shopper speaks with us, else what the shop knows. */
function localeFor(
  deps: CareDeps,
  conv: Conversation | undefined,
  profile: CareProfile | undefined,
  shopper: Shopper | undefined,
  hint: string | undefined,
): string {
  return deps.localizer.resolve(conv?.language ?? profile?.language ?? shopper?.language ?? hint ?? deps.shop.defaultLanguage);
}

/** The shopper's time zone: stored, else their phone's country (or a platform-verified number, WhatsApp's), else the shop's. */
function zoneFor(deps: CareDeps, profile: CareProfile | undefined, routes: readonly Route[]): string {
  const phone = routes.find((r) => r.adapter.capabilities.verifiedPhone)?.conversation.ref.userId.replace(/@.*$/, '');
  return safeZone(profile?.timezone ?? zoneOfPhone(profile?.phone) ?? zoneOfPhone(phone) ?? deps.shop.timezone);
}

/** Why marketing may not go to this shopper now, or undefined. */
async function marketingRefusal(deps: CareDeps, m: CareMessage, profile: CareProfile | undefined): Promise<string | undefined> {
  if (m.category !== 'marketing') return undefined;
  if (profile?.optedOutAt) return 'opted_out: the shopper unsubscribed from marketing messages';
  if (!profile?.marketingOptIn) return 'no_consent: the shopper has not opted in to marketing messages (PUT /api/v1/shoppers/{ref} with marketingOptIn)';
  const max = deps.settings.marketing.maxPerWeek;
  const sent = await deps.care.countMarketingSince(m.shopperId ?? '', deps.clock.now() - 7 * DAY_MS);
  if (sent >= max) return `frequency_cap: ${sent} marketing messages in the last 7 days (care.marketing.maxPerWeek is ${max})`;
  return undefined;
}

/** Routes for the message: its own conversation when it names one, else the shopper's channels. */
async function routesOf(deps: CareDeps, m: CareMessage, profile: CareProfile | undefined): Promise<Route[]> {
  if (m.payload.conversationId) {
    const conversation = await deps.store.getConversation(m.payload.conversationId);
    const adapter = conversation && deps.channel(conversation.channelId);
    return conversation && adapter ? [{ conversation, adapter }] : [];
  }
  return m.shopperId ? routesFor(deps, m.shopperId, profile) : [];
}

/**
 * Sends one care message, or records why not. Consent and the weekly cap come first, then
 * quiet hours in the shopper's zone (deferred to their end by a durable job), then each route
 * in order until one may carry it (messaging windows: template or refusal). The stored message
 * id is `care:<id>:<attempt>`, so running this twice sends once. Never throws for a shopper
 * problem: every outcome is written to the care log with its reason.
 */
export async function deliverCare(deps: CareDeps, id: string): Promise<CareMessage | undefined> {
  const { care, clock } = deps;
  const m = await care.getMessage(id);
  if (!m || m.status === 'sent' || m.status === 'skipped') return m;
  const now = clock.now();
  const record = async (status: CareStatus, reason: string | undefined, extra: Partial<CareMessage> = {}) => {
    await care.updateMessage(id, { status, reason, ...extra }, now);
    deps.observe?.(m.payload.template, status);
    if (status !== 'sent') deps.log.info({ care: id, status, reason }, 'care message not sent');
    return { ...m, status, ...(reason ? { reason } : {}), ...extra } as CareMessage;
  };
  const profile = m.shopperId ? await care.getProfile(m.shopperId) : undefined;
  const refused = await marketingRefusal(deps, m, profile);
  if (refused) return record('skipped', refused);
  const routes = await routesOf(deps, m, profile);
  if (routes.length === 0) return record('undeliverable', 'no_channel: the shopper has no conversation or linked identity on a configured channel');

  const quiet = deps.settings.quietHours;
  if (quiet && (quiet.applyTo === 'all' || m.category === 'marketing')) {
    const until = quietUntil(now, quiet, zoneFor(deps, profile, routes));
    if (until !== undefined) {
      await care.addJob({ id: `deliver:${id}:${until}`, kind: 'deliver', runAt: until, payload: { id } }, now);
      return record('deferred', `quiet_hours: ${quiet.start}–${quiet.end} in the shopper's time zone`, { scheduledFor: until });
    }
  }

  const shopper = m.shopperId ? await care.getShopper(m.shopperId) : undefined;
  const refusals: string[] = [];
  for (const route of routes) {
    const locale = localeFor(deps, route.conversation, profile, shopper, m.payload.languageHint);
    const textLocale = m.payload.text ? deps.localizer.resolve(m.payload.textLanguage ?? deps.shop.workingLanguage) : locale;
    const composed = compose(m.payload, {
      locale,
      t: deps.localizer.forLanguage(textLocale),
      timeZone: zoneFor(deps, profile, routes),
      capabilities: route.adapter.capabilities,
      marketing: m.category === 'marketing',
    });
    const refusal = windowRefusal(route, { parts: composed.parts, template: composed.template }, locale, now);
    if (refusal) {
      refusals.push(refusal);
      continue;
    }
    const messageId = `care:${id}:${m.attempts}`;
    const conv = route.conversation;
    await deps.send(conv.id, {
      id: messageId,
      role: 'bot',
      parts: composed.parts,
      language: m.payload.text ? textLocale : locale,
      template: composed.template,
      ...(conv.language ? {} : { patch: { language: locale } }),
    });
    if (m.payload.rating && m.orderId) {
      await care.insertFeedback({
        id,
        orderId: m.orderId,
        conversationId: conv.id,
        channelId: conv.channelId,
        language: locale,
        status: 'awaiting_rating',
        requestedAt: now,
        ...(m.shopperId ? { shopperId: m.shopperId } : {}),
      });
    }
    return record('sent', undefined, { conversationId: conv.id, channelId: conv.channelId, language: locale, messageId });
  }
  return record('held', refusals.join('; '));
}
