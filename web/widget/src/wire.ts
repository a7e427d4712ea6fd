/**
 * What the gateway sends the widget and what the widget sends back (docs/api.md, "Web chat").
 * Everything that arrives is untrusted JSON: fields are optional and are checked or coerced
 * where they are used.
 */

export type Role = 'shopper' | 'bot' | 'agent' | 'system';

/** A button: a payload sent back as a postback, or a link. */
export interface WireChoice {
  label?: unknown;
  payload?: unknown;
  url?: unknown;
}

/** One part of a message, in the normalised message model's shape (src/core/message.ts). */
export interface WirePart {
  kind?: string;
  text?: unknown;
  markup?: string;
  url?: unknown;
  caption?: unknown;
  name?: unknown;
  title?: unknown;
  subtitle?: unknown;
  price?: unknown;
  imageUrl?: unknown;
  choices?: WireChoice[];
  buttons?: WireChoice[];
  latitude?: unknown;
  longitude?: unknown;
  emoji?: string;
  orderId?: unknown;
  status?: unknown;
}

export interface WireMessage {
  id?: string;
  seq?: number;
  role?: string;
  parts?: WirePart[];
  createdAt?: number;
  /** The shopper's own messages carry the id the widget gave them when sending. */
  clientId?: string;
}

export type ServerFrame =
  | { type: 'ready'; conversationId?: string }
  | { type: 'history'; messages?: WireMessage[] }
  | { type: 'delta'; id?: unknown; text?: unknown; at?: unknown }
  | { type: 'message'; message?: WireMessage }
  | AckFrame
  | { type: 'typing'; role?: string; on?: unknown }
  | { type: 'error'; code?: string };

/** The gateway has the shopper's message (`id`, `seq` of the stored message when it says so). */
export interface AckFrame {
  type: 'ack';
  clientId: string;
  id?: unknown;
  seq?: unknown;
}

/** A frame the shopper sends that must arrive: kept until acknowledged, re-sent after a reconnect. */
export type OutgoingFrame =
  | { type: 'message'; clientId: string; text?: string; media?: UploadRef[]; locale: string }
  | { type: 'postback'; clientId: string; payload: string; label: string };

/** What `POST /webchat/upload` answered for a file, sent back in a message frame. */
export interface UploadRef {
  ref: string;
  kind: 'image' | 'video' | 'audio' | 'file';
  name?: string;
}

/** A frame that only matters now: dropped when the socket is not open. */
export type EphemeralFrame = { type: 'typing'; on: boolean } | { type: 'language'; language: string };

/** Who is logged in, as the shop's server signed it (`Parley.identify`, `ParleySettings.identity`). */
export type Identity = Record<string, unknown>;

/** The page's API. */
interface ParleyApi {
  identify(identity: Identity | null): void;
  open(): void;
  close(): void;
}

declare global {
  interface Window {
    __parleyWidget?: boolean;
    Parley?: Partial<ParleyApi>;
    ParleySettings?: { identity?: Identity | null };
  }
}
