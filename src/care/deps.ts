import type { ChannelAdapter } from '../core/adapter.js';
import type { ConversationBus } from '../core/events.js';
import type { Clock, Localize, Logger } from '../core/ports.js';
import type { Sender } from '../core/send.js';
import type { Store } from '../core/store.js';
import type { CareStatus, CareStore } from './types.js';

/** The `care:` block of the configuration (src/config/schema.ts). */
interface CareSettings {
  channelOrder: readonly string[];
  quietHours?: { start: string; end: string; applyTo: 'all' | 'marketing' } | undefined;
  marketing: { maxPerWeek: number };
  feedback: { enabled: boolean; delayDays: number; answerWindowDays: number };
  greetingTime: string;
  scheduler: { pollMs: number; concurrency: number; leaseMs: number; maxAttempts: number };
}

/** Fixed strings, as the gateway's localizer gives them. */
interface CareLocalizer {
  readonly languages: readonly string[];
  forLanguage(language: string | undefined): Localize;
  resolve(language: string | undefined): string;
}

/** What proactive care runs on; built once by the composition root. */
export interface CareDeps {
  store: Store;
  care: CareStore;
  send: Sender;
  channel(id: string): ChannelAdapter | undefined;
  /** Every configured channel id. */
  channelIds(): string[];
  localizer: CareLocalizer;
  settings: CareSettings;
  shop: { timezone: string; defaultLanguage: string; workingLanguage: string };
  clock: Clock;
  log: Logger;
  bus: ConversationBus;
  /** Told each care message's outcome, by template (operator metrics). */
  observe?(template: string, status: CareStatus): void;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
