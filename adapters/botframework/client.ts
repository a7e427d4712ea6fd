import { type ConversationReference, TurnContext } from 'botbuilder';
import type { AdapterContext, DeliveryReceipt, FetchedMedia, FetchMediaOptions } from '../../src/core/adapter.js';
import { DeliveryError } from '../../src/core/errors.js';
import { callApi } from '../../src/core/http.js';
import { fetchMediaBytes } from '../../src/core/media.js';
import type { ConversationRef } from '../../src/core/message.js';
import { type BotframeworkConfig, botFrameworkScope, tokenEndpoint } from './config.js';
import type { BotframeworkActivity } from './render.js';

/*
 * Why plain REST through `ctx.fetch` rather than botframework-connector's `ConnectorClient` /
 * `CloudAdapter.continueConversationAsync`: the SDK gets its token through MSAL, which runs
 * authority discovery against login.microsoftonline.com (no configurable token endpoint, so no
 * local test server), caches tokens per process, and reports failures as its own errors rather
 * than Parley's retryable / not-retryable ones. The Connector protocol is two documented calls:
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#bot-to-connector
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-send-and-receive-messages
 */

const authHint = 'Check MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (and MICROSOFT_APP_TENANT_ID for a single-tenant bot).';
/** Renew the cached token this long before it expires. */
const tokenMarginMs = 5 * 60_000;

interface TokenResponse {
  access_token?: unknown;
  expires_in?: unknown;
}

/** Sends activities to the Bot Connector for one channel instance. */
export class BotframeworkClient {
  private readonly tokenKey: string;
  private fetching: Promise<string> | undefined;

  constructor(
    private readonly config: BotframeworkConfig,
    private readonly ctx: AdapterContext,
  ) {
    this.tokenKey = `botframework:token:${ctx.channelId}`;
  }

  /** The bot's bearer token (client credentials), cached in the shared state until shortly before expiry. */
  async token(): Promise<string | undefined> {
    const { appId, appPassword } = this.config;
    if (!appId) return undefined;
    const cached = await this.ctx.state.get(this.tokenKey);
    if (cached) return cached;
    if (!appPassword) throw new DeliveryError('auth', `Bot Framework channel "${this.ctx.channelId}" has no app password. Set MICROSOFT_APP_PASSWORD.`);
    // Why: the typing indicator and the reply often start together; they share one token request.
    this.fetching ??= this.fetchToken(appId, appPassword).finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async fetchToken(appId: string, appPassword: string): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: appPassword, scope: botFrameworkScope });
    const res = await callApi<TokenResponse>(
      this.ctx.fetch,
      tokenEndpoint(this.config),
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
      { label: 'Bot Framework token request', authHint },
    ).catch((err: unknown) => {
      // Why: Entra ID answers a wrong secret with 400 invalid_client, which callApi takes for a bad payload.
      if (err instanceof DeliveryError && !err.retryable && !err.message.includes(authHint))
        throw new DeliveryError('auth', `${err.message} ${authHint}`, { cause: err, details: err.details });
      throw err;
    });
    const token = res.body?.access_token;
    const expiresIn = Number(res.body?.expires_in);
    if (typeof token !== 'string' || !Number.isFinite(expiresIn)) {
      throw new DeliveryError('transient', 'Bot Framework token response has no access_token. Retrying.');
    }
    const expiresAt = this.ctx.clock.now() + expiresIn * 1000 - tokenMarginMs;
    if (expiresAt > this.ctx.clock.now()) await this.ctx.state.set(this.tokenKey, token, expiresAt);
    return token;
  }

  /** Sends each activity in order; returns the ids the Connector assigned. */
  async deliver(ref: ConversationRef, activities: BotframeworkActivity[]): Promise<DeliveryReceipt> {
    const ids: string[] = [];
    for (const activity of activities) {
      const id = await this.send(ref, activity);
      if (id) ids.push(id);
    }
    return { platformMessageIds: ids };
  }

  /** Shows "typing…" in the conversation. */
  async sendTyping(ref: ConversationRef): Promise<void> {
    await this.send(ref, { type: 'typing' });
  }

  private async send(ref: ConversationRef, content: { type: string; replyToId?: string }): Promise<string | undefined> {
    const reference = referenceOf(ref);
    const { replyToId, ...rest } = content;
    // Why: applyConversationReference would make every send a reply to the last inbound activity.
    const activity = TurnContext.applyConversationReference({ ...rest }, { ...reference, activityId: undefined }, false);
    if (replyToId) activity.replyToId = replyToId;
    const base = `${reference.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(reference.conversation.id)}/activities`;
    const url = replyToId ? `${base}/${encodeURIComponent(replyToId)}` : base;
    const token = await this.token();
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      const res = await callApi<{ id?: unknown }>(
        this.ctx.fetch,
        url,
        { method: 'POST', headers, body: JSON.stringify(activity) },
        { label: 'Bot Framework send activity', authHint },
      );
      return typeof res.body?.id === 'string' ? res.body.id : undefined;
    } catch (err) {
      if (err instanceof DeliveryError && blockedByUser(err))
        throw new DeliveryError('blocked', 'Bot Framework send activity failed (HTTP 403 ConversationBlockedByUser). The user blocked the bot.', {
          cause: err,
          details: err.details,
        });
      // Why: a revoked or rotated secret leaves a cached token the Connector refuses; drop it.
      if (err instanceof DeliveryError && err.reason === 'auth') await this.ctx.state.set(this.tokenKey, '', this.ctx.clock.now());
      throw err;
    }
  }

  /**
   * Fetches an attachment's `contentUrl`: with the bot's token when it is on a Connector host
   * (Teams images pasted into a chat), without it elsewhere (a file's pre-authenticated
   * `downloadUrl`, Web Chat uploads on a blob store): the token never leaves for another host.
   * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4#receive-files-in-personal-chat
   */
  async fetchMedia(url: string, options: FetchMediaOptions = {}): Promise<FetchedMedia> {
    const host = new URL(url).hostname.toLowerCase();
    const connector = this.config.connectorHosts.some((h) => (h.startsWith('.') ? host.endsWith(h) : host === h.toLowerCase()));
    const token = connector ? await this.token() : undefined;
    return fetchMediaBytes(this.ctx.fetch, url, {
      label: 'Bot Framework attachment download',
      authHint,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      ...options,
    });
  }
}

/**
 * Teams answers 403 with `ConversationBlockedByUser` when the user blocked the bot, which is no
 * credentials problem. https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
 */
function blockedByUser(err: DeliveryError): boolean {
  const body = err.details.body as { error?: { code?: unknown } } | undefined;
  return err.details.status === 403 && body?.error?.code === 'ConversationBlockedByUser';
}

type Addressable = Partial<ConversationReference> & { serviceUrl: string; conversation: { id: string } };

/** The stored conversation reference; without one Parley cannot know the conversation's serviceUrl. */
function referenceOf(ref: ConversationRef): Addressable {
  const reference = ref.extra?.reference as Partial<ConversationReference> | undefined;
  if (typeof reference?.serviceUrl !== 'string' || typeof reference.conversation?.id !== 'string') {
    throw new DeliveryError(
      'blocked',
      `Bot Framework conversation ${ref.chatId} has no stored conversation reference (serviceUrl). The user must message the bot first.`,
    );
  }
  return reference as Addressable;
}
