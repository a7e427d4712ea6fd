/**
 * The Messenger Platform's wire shapes (Messenger and Instagram Messaging share them), as far
 * as Parley reads or writes them. Webhook fields are all optional: nothing outside Meta's
 * control may be trusted to be present.
 * https://developers.facebook.com/docs/messenger-platform/reference/webhook-events
 * https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook
 */

/** A `page` or `instagram` webhook body. */
export interface WebhookBody {
  object?: string;
  entry?: { id?: string; time?: number; messaging?: Messaging[] }[];
}

export interface InAttachment {
  /** image, video, audio, file, fallback, location, share, story_mention, ig_reel, reel, template… */
  type?: string;
  title?: string;
  url?: string;
  payload?: {
    url?: string;
    sticker_id?: number;
    title?: string;
    coordinates?: { lat?: number; long?: number };
  } | null;
}

export interface InMessage {
  mid?: string;
  text?: string;
  is_echo?: boolean;
  is_deleted?: boolean;
  is_unsupported?: boolean;
  app_id?: number;
  metadata?: string;
  quick_reply?: { payload?: string };
  reply_to?: { mid?: string; story?: { url?: string; id?: string } };
  attachments?: InAttachment[];
}

/** One item of an entry's `messaging` array: exactly one of the event objects is set. */
export interface Messaging {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number | string;
  message?: InMessage;
  postback?: { mid?: string; title?: string; payload?: string };
  /** Messenger `message_deliveries`. */
  delivery?: { mids?: string[]; watermark?: number };
  /** Messenger `message_reads` carries a `watermark`; Instagram `messaging_seen` the `mid`. */
  read?: { watermark?: number; mid?: string };
  /** `message_reactions`. */
  reaction?: { mid?: string; action?: string; emoji?: string; reaction?: string };
}

export interface QuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

export type OutButton = { type: 'postback'; title: string; payload: string } | { type: 'web_url'; title: string; url: string };

export interface GenericElement {
  title: string;
  subtitle?: string;
  image_url?: string;
  default_action?: { type: 'web_url'; url: string };
  buttons?: OutButton[];
}

type OutAttachment =
  | { type: 'image' | 'video' | 'audio' | 'file'; payload: { url: string; is_reusable: boolean } }
  | { type: 'template'; payload: { template_type: 'button'; text: string; buttons: OutButton[] } }
  | { type: 'template'; payload: { template_type: 'generic'; elements: GenericElement[] } };

/** The `message` object of a Send API call: a text or an attachment, with optional quick replies. */
export type OutMessage = ({ text: string } | { attachment: OutAttachment }) & { quick_replies?: QuickReply[] };

/**
 * One Send API body. `recipient` is filled from the conversation by `deliver`; inside the
 * 24-hour window `messaging_type` is `RESPONSE`, after it a person's reply goes with the
 * `HUMAN_AGENT` tag.
 * https://developers.facebook.com/docs/messenger-platform/reference/send-api
 */
export interface SendPayload {
  recipient?: { id: string };
  messaging_type: 'RESPONSE' | 'MESSAGE_TAG';
  tag?: 'HUMAN_AGENT';
  message: OutMessage;
}
