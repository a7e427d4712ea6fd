/**
 * The Cloud API's wire shapes, as far as Parley reads or writes them. Webhook fields are all
 * optional because nothing outside Meta's control may be trusted to be present.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 */

/** The body of a `messages` webhook. */
export interface WebhookBody {
  object?: string;
  entry?: { id?: string; changes?: WebhookChange[] }[];
}

interface WebhookChange {
  field?: string;
  value?: ChangeValue;
}

export interface ChangeValue {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: { wa_id?: string; profile?: { name?: string } }[];
  messages?: WaMessage[];
  statuses?: WaStatus[];
}

export interface WaMedia {
  id?: string;
  mime_type?: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
  animated?: boolean;
}

export interface WaError {
  code?: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
}

export interface WaMessage {
  id?: string;
  from?: string;
  timestamp?: string;
  type?: string;
  context?: { id?: string; from?: string; forwarded?: boolean };
  text?: { body?: string };
  image?: WaMedia;
  video?: WaMedia;
  audio?: WaMedia;
  document?: WaMedia;
  sticker?: WaMedia;
  location?: { latitude?: number; longitude?: number; name?: string; address?: string };
  contacts?: {
    name?: { formatted_name?: string; first_name?: string; last_name?: string };
    phones?: { phone?: string }[];
    emails?: { email?: string }[];
  }[];
  interactive?: {
    type?: string;
    button_reply?: { id?: string; title?: string };
    list_reply?: { id?: string; title?: string; description?: string };
  };
  button?: { payload?: string; text?: string };
  reaction?: { message_id?: string; emoji?: string };
  errors?: WaError[];
}

export interface WaStatus {
  id?: string;
  status?: string;
  timestamp?: string;
  recipient_id?: string;
  errors?: WaError[];
}

/** A media object to send: a public link, or the id of media already on WhatsApp. */
export type OutMedia = ({ link: string } | { id: string }) & { caption?: string; filename?: string };

interface OutButton {
  type: 'reply';
  reply: { id: string; title: string };
}

interface OutRow {
  id: string;
  title: string;
}

/** The `interactive` object of a reply-buttons, list or call-to-action URL message. */
export type OutInteractive =
  | { type: 'button'; body: { text: string }; action: { buttons: OutButton[] } }
  | { type: 'list'; body: { text: string }; action: { button: string; sections: { title?: string; rows: OutRow[] }[] } }
  | {
      type: 'cta_url';
      body: { text: string };
      action: { name: 'cta_url'; parameters: { display_text: string; url: string } };
    };

/** A template's body parameters, in order ({{1}}, {{2}}, …). */
interface OutTemplate {
  name: string;
  language: { code: string };
  components?: { type: 'body'; parameters: { type: 'text'; text: string }[] }[];
}

/** What follows `type` in a message body: exactly one of these objects. */
export type OutContent =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | { type: 'image'; image: OutMedia }
  | { type: 'video'; video: OutMedia }
  | { type: 'audio'; audio: OutMedia }
  | { type: 'document'; document: OutMedia }
  | { type: 'sticker'; sticker: OutMedia }
  | { type: 'location'; location: { latitude: number; longitude: number; name?: string; address?: string } }
  | { type: 'interactive'; interactive: OutInteractive }
  | { type: 'template'; template: OutTemplate };

/**
 * One `POST /{phone-number-id}/messages` body. `to` is filled from the conversation by
 * `deliver` when absent (template payloads are built before the recipient is known).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 */
export type WhatsAppPayload = {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to?: string;
  context?: { message_id: string };
} & OutContent;
