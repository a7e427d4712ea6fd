import type { Capabilities } from '../../src/core/capabilities.js';

/**
 * Twilio refuses a Messages API `Body` over 1,600 characters (error 21617).
 * https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 */
export const MAX_BODY_CHARS = 1600;

/** Twilio accepts up to 10 `MediaUrl`s per MMS. */
export const MAX_MEDIA_PER_MESSAGE = 10;

/**
 * What an SMS number can show: plain text, no buttons (the core turns choices into a numbered
 * list), media only as MMS. `maxTextLength` is Twilio's body limit; `render` then cuts each
 * text into bodies of at most `maxSegments` segments (./segments.ts), which is what the
 * shopper pays for and what carriers reassemble.
 */
export function twilioCapabilities(options: { mms: boolean; verifiedPhone: boolean }): Capabilities {
  return Object.freeze({
    maxTextLength: MAX_BODY_CHARS,
    markup: 'plain',
    buttons: false,
    list: false,
    cards: false,
    media: options.mms ? ['image', 'video', 'audio', 'file'] : [],
    typing: false,
    edit: false,
    // The chat id is the shopper's number: care can text a shopper who never wrote here.
    pushByUserId: true,
    // The sender is the phone number the carrier delivered from (config `verifiedPhone`).
    verifiedPhone: options.verifiedPhone,
    // Why: a long code sends about one segment a second and Twilio queues the rest; one message
    // a second per shopper keeps a split reply in order on the handset.
    rateLimit: { perBotPerSecond: 30, perChatPerSecond: 1 },
  } satisfies Capabilities);
}
