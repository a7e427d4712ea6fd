import { z } from 'zod';

// The subset of the Bot API `Update` that Parley reads (https://core.telegram.org/bots/api#update).
// Loose objects: Telegram adds fields often, and its own webhook-guide samples carry stray ones.

const user = z.looseObject({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const chat = z.looseObject({
  id: z.number(),
  type: z.string().optional(),
  title: z.string().optional(),
});

const file = z.looseObject({
  file_id: z.string(),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
  duration: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  file_size: z.number().optional(),
});

const location = z.looseObject({ latitude: z.number(), longitude: z.number() });

const button = z.looseObject({ text: z.string(), callback_data: z.string().optional() });

const message = z.looseObject({
  message_id: z.number(),
  date: z.number(),
  edit_date: z.number().optional(),
  chat,
  from: user.optional(),
  sender_chat: chat.optional(),
  message_thread_id: z.number().optional(),
  is_topic_message: z.boolean().optional(),
  reply_to_message: z.looseObject({ message_id: z.number() }).optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(file).optional(),
  video: file.optional(),
  video_note: file.optional(),
  animation: file.optional(),
  document: file.optional(),
  voice: file.optional(),
  audio: file.optional(),
  sticker: z.looseObject({ file_id: z.string(), emoji: z.string().optional() }).optional(),
  location: location.optional(),
  venue: z.looseObject({ location, title: z.string(), address: z.string() }).optional(),
  contact: z.looseObject({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional() }).optional(),
  reply_markup: z.looseObject({ inline_keyboard: z.array(z.array(button)) }).optional(),
});

const callbackQuery = z.looseObject({
  id: z.string(),
  from: user,
  // Why optional: a button on a message older than 48 h arrives as an InaccessibleMessage, and
  // buttons under inline-mode messages carry only inline_message_id.
  message: message.partial({ date: true }).optional(),
  data: z.string().optional(),
});

const chatMember = z.looseObject({ status: z.string() });

const chatMemberUpdated = z.looseObject({
  chat,
  from: user,
  date: z.number(),
  old_chat_member: chatMember,
  new_chat_member: chatMember,
});

/** The update fields Parley reads; everything else passes through in `raw`. */
export const updateSchema = z.looseObject({
  update_id: z.number().int(),
  message: message.optional(),
  edited_message: message.optional(),
  callback_query: callbackQuery.optional(),
  my_chat_member: chatMemberUpdated.optional(),
});

/** A Telegram update as far as Parley reads it. */
export type TgUpdate = z.output<typeof updateSchema>;
/** A Telegram message as far as Parley reads it. */
export type TgMessage = z.output<typeof message>;
/** A Telegram user. */
export type TgUser = z.output<typeof user>;
/** A button press. */
export type TgCallbackQuery = z.output<typeof callbackQuery>;
/** A change of the bot's membership in a chat. */
export type TgChatMemberUpdated = z.output<typeof chatMemberUpdated>;
