import { z } from 'zod';

/**
 * The plain fields Parley reads from a whatsapp-web.js `Message` (src/structures/Message.js in
 * whatsapp-web.js 1.34): the library's objects have exactly this shape, and test fixtures
 * are plain objects of it. Unknown keys are dropped, so the parsed value is JSON-safe (the
 * library object also holds the browser client) and is what events keep as `raw`.
 */
export const webMessageSchema = z.object({
  id: z.object({
    /** `<fromMe>_<chat wid>_<message id>`, e.g. `false_491701234567@c.us_3EB0C4…`. */
    _serialized: z.string().min(1),
    fromMe: z.boolean(),
    /** The chat: `<digits>@c.us` (phone), `<digits>@lid` (hidden number), `<id>@g.us` (group). */
    remote: z.string().min(1),
    id: z.string().optional(),
  }),
  from: z.string().min(1),
  to: z.string().optional(),
  /** In groups: the participant who wrote. */
  author: z.string().optional(),
  body: z.string().default(''),
  type: z.string().min(1),
  /** Seconds since the epoch. */
  timestamp: z.number(),
  hasMedia: z.boolean().default(false),
  /** Voice notes and audio: seconds, a string in the library. */
  duration: z.union([z.string(), z.number()]).optional(),
  isStatus: z.boolean().optional(),
  broadcast: z.boolean().optional(),
  location: z
    .object({
      latitude: z.coerce.number(),
      longitude: z.coerce.number(),
      name: z.string().optional(),
      address: z.string().optional(),
      /** `name\naddress` when the library built it from the message's `loc`. */
      description: z.string().optional(),
      url: z.string().optional(),
    })
    .optional(),
  /** vCard texts of `vcard` / `multi_vcard` messages. */
  vCards: z.array(z.string()).optional(),
  _data: z
    .object({
      notifyName: z.string().optional(),
      mimetype: z.string().optional(),
      filename: z.string().optional(),
      caption: z.string().optional(),
      size: z.number().optional(),
      duration: z.union([z.string(), z.number()]).optional(),
    })
    .optional(),
});

/** A whatsapp-web.js message as Parley reads it. */
export type WebMessage = z.output<typeof webMessageSchema>;

/** The same, as it comes in (before defaults): what fixtures and fakes emit. */
export type WebMessageInput = z.input<typeof webMessageSchema>;

/**
 * `MessageAck` from whatsapp-web.js (src/util/Constants.js): the `ack` argument of the
 * `message_ack` event.
 */
export const MessageAck = Object.freeze({
  ACK_ERROR: -1,
  ACK_PENDING: 0,
  ACK_SERVER: 1,
  ACK_DEVICE: 2,
  ACK_READ: 3,
  ACK_PLAYED: 4,
});
