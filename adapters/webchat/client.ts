import type { DeliveryEnvelope, DeliveryReceipt } from '../../src/core/adapter.js';
import type { ConversationRef } from '../../src/core/message.js';
import type { SocketHub, WireMessage } from './hub.js';
import type { WebchatPayload } from './render.js';

/**
 * Web chat delivery pushes the message to the session's open sockets. The message is already
 * stored, so a shopper who is offline gets it from the history replay when they reconnect:
 * delivery succeeds either way.
 */
export function deliverWebchat(hub: SocketHub, ref: ConversationRef, payloads: WebchatPayload[], envelope: DeliveryEnvelope): DeliveryReceipt {
  const ids: string[] = [];
  payloads.forEach((payload, i) => {
    // One stored message may be split into several; only the first keeps the stored id.
    const id = envelope.idempotencyKey.endsWith(':0') && i === 0 ? envelope.messageId : `${envelope.idempotencyKey}.${i}`;
    const message: WireMessage = { id, seq: envelope.seq, role: envelope.role, parts: payload.parts, createdAt: envelope.createdAt };
    hub.publish(ref.chatId, { type: 'message', message });
    ids.push(id);
  });
  return { platformMessageIds: ids };
}

/** Shows the bot's typing dots in the widget. */
export function typingFrame(on: boolean) {
  return { type: 'typing', role: 'bot', on };
}
