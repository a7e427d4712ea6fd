import { describeDuration } from '../config/duration.js';
import type { RetentionSettings } from './retention.js';

const KEPT: [keyof RetentionSettings, string][] = [
  ['messageText', 'message text'],
  ['attachments', 'attachments'],
  ['translationMemory', 'translation memory'],
  ['closedConversations', 'closed conversations'],
  ['deliveryRecords', 'delivery records'],
];

/**
 * The retention policy as `parley check` prints it: how long each kind of record is kept, and
 * how the sweep runs.
 *
 * @example
 * ```ts
 * for (const line of retentionLines(config.retention)) console.log(line);
 * // Retention (docs/privacy.md): message text 365 days, attachments 90 days, ...
 * ```
 */
export function retentionLines(settings: RetentionSettings): string[] {
  const kept = KEPT.map(([key, label]) => `${label} ${describeDuration(settings[key])}`);
  const lines = [
    `Retention (docs/privacy.md): ${kept.join(', ')}.`,
    `  swept every ${describeDuration(settings.every)}, ${settings.batchSize} rows per statement, ${settings.pauseMs} ms apart`,
  ];
  if (KEPT.every(([key]) => settings[key] === 0))
    lines.push('  warning: nothing expires: the database grows with every message. Set retention durations (docs/privacy.md).');
  return lines;
}
