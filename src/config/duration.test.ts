import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../cli/check.js';
import { isParleyError } from '../core/errors.js';
import { channelDefinitions } from '../server/channels.js';
import { describeDuration } from './duration.js';
import { parseConfigText } from './load.js';

const DAY = 86_400_000;
const parse = (yaml: string) => parseConfigText(yaml, 'test.yaml', {}, channelDefinitions);

describe('the retention block', () => {
  it('has defaults, and takes days, hours, bare numbers of days and off', () => {
    expect(parse('').retention).toEqual({
      messageText: 365 * DAY,
      attachments: 90 * DAY,
      translationMemory: 90 * DAY,
      closedConversations: 730 * DAY,
      deliveryRecords: 30 * DAY,
      every: 3_600_000,
      batchSize: 500,
      pauseMs: 200,
    });
    const r = parse('retention: { messageText: 12h, attachments: 7, translationMemory: off, closedConversations: 0, deliveryRecords: never }').retention;
    expect([r.messageText, r.attachments, r.translationMemory, r.closedConversations, r.deliveryRecords]).toEqual([12 * 3_600_000, 7 * DAY, 0, 0, 0]);
  });

  it('names each bad duration, and refuses delivery records kept less than a week', () => {
    let message = '';
    try {
      parse('retention: { messageText: "a year", deliveryRecords: 2d, every: 10s }');
    } catch (err) {
      if (isParleyError(err, 'CONFIG_INVALID')) message = err.message;
    }
    expect(message).toMatch(/retention\.messageText: "a year" is not a duration/);
    expect(message).toMatch(/retention\.deliveryRecords: keep delivery records 7d or more/);
    expect(message).toMatch(/retention\.every: sweep at most once a minute/);
  });

  it('is printed by parley check', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'parley-retention-')), 'gateway.yaml');
    writeFileSync(file, 'retention: { translationMemory: off, closedConversations: 400d }\n');
    const lines: string[] = [];
    await check(file, {}, (l) => lines.push(l));
    expect(lines).toContain(
      'Retention (docs/privacy.md): message text 365 days, attachments 90 days, translation memory kept forever, closed conversations 400 days, delivery records 30 days.',
    );
    expect(lines).toContain('  swept every 1 hour, 500 rows per statement, 200 ms apart');
    expect(describeDuration(90 * 60_000)).toBe('90 minutes');
  });
});
