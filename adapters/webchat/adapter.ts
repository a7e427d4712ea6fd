import type { AdapterContext, ChannelAdapter, RawRequest } from '../../src/core/adapter.js';
import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import type { InboundEvent } from '../../src/core/message.js';
import { webchatCapabilities } from './capabilities.js';
import { deliverWebchat, typingFrame } from './client.js';
import { type WebchatConfig, webchatConfigSchema } from './config.js';
import { SocketHub } from './hub.js';
import { type Frame, frameToEvent, normalizedFor, parseFrame } from './normalize.js';
import { renderWebchat, type WebchatPayload } from './render.js';
import { type Session, SessionTokens } from './session.js';
import { verifyWebchat } from './verify.js';

/** The web chat adapter: the channel contract plus what the widget's socket needs. */
export interface WebchatAdapter extends ChannelAdapter<WebchatPayload> {
  readonly hub: SocketHub;
  readonly tokens: SessionTokens;
  readonly config: WebchatConfig;
  /** Reads a socket frame from an already verified session into an event (400 on bad input). */
  eventFromFrame(frame: string | Buffer, session: Session): { frame: Frame; event: InboundEvent };
}

/**
 * Creates the web chat channel.
 *
 * @example
 * ```ts
 * const webchat = createWebchatAdapter(webchatConfigSchema.parse({}), ctx);
 * const { token } = await webchat.tokens.issue(Date.now());
 * ```
 */
function createWebchatAdapter(config: WebchatConfig, ctx: AdapterContext): WebchatAdapter {
  const tokens = new SessionTokens(config.secret ?? ctx.signingSecret, config.sessionTtlDays * 86_400_000);
  const hub = new SocketHub();
  return {
    type: 'webchat',
    id: ctx.channelId,
    capabilities: webchatCapabilities,
    hub,
    tokens,
    config,
    verify: (req: RawRequest) => verifyWebchat(req, tokens, ctx.clock),
    normalize(req) {
      const session = req.verified as Session;
      return normalizedFor(frameToEvent(parseFrame(req.body, config.maxTextLength), session, ctx.channelId, ctx.clock.now()));
    },
    eventFromFrame(text, session) {
      const frame = parseFrame(text, config.maxTextLength);
      return { frame, event: frameToEvent(frame, session, ctx.channelId, ctx.clock.now()) };
    },
    render: (message) => renderWebchat(message),
    deliver: async (ref, payloads, envelope) => deliverWebchat(hub, ref, payloads, envelope),
    async sendTyping(ref) {
      hub.publish(ref.chatId, typingFrame(true));
    },
  };
}

/** The `webchat` channel type. */
export const webchatChannel: ChannelDefinition<WebchatConfig> = {
  type: 'webchat',
  parseConfig: (raw) => fromSafeParse(webchatConfigSchema.safeParse(raw ?? {})),
  create: (config, ctx) => createWebchatAdapter(config, ctx),
  describe: () => ({ missing: [], notes: ['Widget: <script src="{publicUrl}/widget.js" async></script>'] }),
};
