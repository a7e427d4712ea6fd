import type { OutboundMessage, Part } from '../../src/core/message.js';

/** What the widget receives for one message (the socket frame's `message`, minus ids). */
export interface WebchatPayload {
  parts: Part[];
}

/** The widget renders Parley's parts as they are. */
export function renderWebchat(message: OutboundMessage): WebchatPayload[] {
  return [{ parts: message.parts }];
}
