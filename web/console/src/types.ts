/** The Console API's shapes as the console reads them (docs/api.md, "Console API"). */

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: 'agent' | 'admin';
  language: string;
  languages: string[];
  skills: string[];
  teamId: string | null;
  capacity: number;
  disabled: boolean;
  online?: boolean;
}

export interface Team {
  id: string;
  name: string;
  languages?: string[];
  skills?: string[];
  timezone: string;
  hours?: Record<string, string>;
}

export interface QueueEntry {
  conversationId: string;
  channelId: string;
  language?: string;
  state: string;
  reason?: string;
  waitingMs?: number;
  preview?: string;
  agentId?: string;
  /** Set by the console: something happened since the agent last looked. */
  unread?: boolean;
}

export interface ConsoleMessage {
  id: string;
  seq: number;
  role: string;
  createdAt: number;
  text: string;
  original: string;
  originalLanguage?: string;
  translated: boolean;
  untranslated?: boolean;
  agentId?: string;
  choices?: string[];
  flaggable?: boolean;
  /** Why the channel did not deliver it, when it could not. */
  failure?: { reason: 'auth' | 'blocked' | 'rate_limited' | 'invalid' | 'transient'; error: string };
  media?: ConsoleMedia[];
}

/** A photo, voice note, video or file; `id` when it is stored (`GET /console/api/media/:id`). */
export interface ConsoleMedia {
  kind: 'image' | 'audio' | 'video' | 'file';
  id?: string;
  mimeType?: string;
  name?: string;
  size?: number;
  caption?: string;
  transcript?: string;
  error?: 'too_large' | 'type_not_allowed' | 'fetch_failed' | 'unsupported';
}

export interface Note {
  text: string;
  createdAt: number;
  agentId: string;
  agentName?: string;
}

export interface Order {
  id: string;
  status: string;
  total: string;
  carrier?: string;
  trackingUrl?: string;
}

export interface ConversationView {
  conversation: {
    channelId: string;
    language: string;
    state: string;
    agentId?: string;
    agentName?: string;
    reason?: string;
  };
  messages: ConsoleMessage[];
  notes: Note[];
  shopper: {
    identities: { channelId: string; userId: string }[];
    customerRef?: string;
    orders: Order[];
  };
}

export interface CannedReply {
  id: string;
  title: string;
  text: string;
  /** The same reply written in the shopper's language, when the shop has it. */
  shopper?: { language: string; text: string };
}

export interface Preview {
  language: string;
  text: string;
  untranslated?: boolean;
}

export type ConsoleFrame =
  | { type: 'queue'; queue: QueueEntry[] }
  | { type: 'activity'; conversationId: string }
  | { type: 'messages'; conversationId: string; messages: ConsoleMessage[] }
  | { type: 'note' | 'state'; conversationId: string }
  | { type: 'assigned'; conversationId: string; agentId?: string }
  | { type: 'typing'; conversationId: string; on: boolean };
