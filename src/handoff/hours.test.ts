import { describe, expect, it } from 'vitest';
import { formatOpening, isOpen, nextOpening, parseRanges } from './hours.js';

// Monday 23 November 2026.
const amsterdam = {
  timezone: 'Europe/Amsterdam',
  hours: { mon: '09:00-18:00', tue: '09:00-18:00', wed: '09:00-12:00,13:00-18:00', thu: '09:00-18:00', fri: '09:00-17:00' },
  holidays: ['2026-11-26'],
};

describe('business hours', () => {
  it('is open inside the hours in the team time zone and closed outside them', () => {
    expect(isOpen(amsterdam, Date.parse('2026-11-23T10:00:00Z'))).toBe(true); // 11:00 CET
    expect(isOpen(amsterdam, Date.parse('2026-11-23T17:30:00Z'))).toBe(false); // 18:30 CET
    expect(isOpen(amsterdam, Date.parse('2026-11-25T11:30:00Z'))).toBe(false); // lunch break
    expect(isOpen(amsterdam, Date.parse('2026-11-26T10:00:00Z'))).toBe(false); // holiday
    expect(isOpen(amsterdam, Date.parse('2026-11-28T10:00:00Z'))).toBe(false); // Saturday
    expect(isOpen({ timezone: 'UTC' }, 0)).toBe(true);
  });

  it('finds the next opening across the evening, a holiday and the weekend', () => {
    expect(nextOpening(amsterdam, Date.parse('2026-11-23T18:00:00Z'))).toBe(Date.parse('2026-11-24T08:00:00Z'));
    expect(nextOpening(amsterdam, Date.parse('2026-11-25T20:00:00Z'))).toBe(Date.parse('2026-11-27T08:00:00Z'));
    expect(nextOpening(amsterdam, Date.parse('2026-11-27T17:00:00Z'))).toBe(Date.parse('2026-11-30T08:00:00Z'));
    const shanghai = { timezone: 'Asia/Shanghai', hours: { mon: '09:00-18:00' } };
    expect(nextOpening(shanghai, Date.parse('2026-11-23T12:00:00Z'))).toBe(Date.parse('2026-11-30T01:00:00Z'));
    expect(nextOpening({ timezone: 'UTC', hours: { mon: 'closed' } }, 0)).toBeUndefined();
  });

  it('formats the opening in the shopper locale and the team time zone', () => {
    const at = Date.parse('2026-11-30T08:00:00Z');
    expect(formatOpening(at, 'es', 'Europe/Amsterdam')).toMatch(/lunes.*30.*noviembre.*09:00/);
    expect(formatOpening(at, 'zh-CN', 'Asia/Shanghai')).toMatch(/11月30日.*星期一.*16:00/);
  });

  it('rejects malformed ranges', () => {
    expect(parseRanges('09:00-12:00, 13:00-18:00')).toEqual([
      [540, 720],
      [780, 1080],
    ]);
    expect(() => parseRanges('9-5')).toThrow(/HH:MM-HH:MM/);
  });
});
