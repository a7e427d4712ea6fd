import { z } from 'zod';

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DAY = UNITS.d;

/**
 * A duration in the config: `365d`, `12h`, `30m`, `45s`, `500ms`, or a bare number of days; `off`,
 * `never`, `false` or `0` mean "no limit". Parsed to milliseconds, 0 for "no limit".
 *
 * @example
 * ```ts
 * const schema = z.object({ keep: duration('90d') });
 * schema.parse({ keep: '12h' }).keep; // 43_200_000
 * schema.parse({ keep: 'off' }).keep; // 0
 * ```
 */
export function duration(fallback: string) {
  return z
    .union([z.number(), z.boolean(), z.string()])
    .default(fallback)
    .transform((value, ctx) => {
      const ms = toMs(value);
      if (ms === undefined) ctx.addIssue({ code: 'custom', message: `"${String(value)}" is not a duration: write 365d, 12h, 30m, 45s, or off` });
      return ms ?? 0;
    });
}

function toMs(value: number | boolean | string): number | undefined {
  if (value === false) return 0;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * DAY) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (['off', 'never', 'false', 'forever', '0'].includes(text)) return 0;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNITS[(match[2] ?? 'd') as keyof typeof UNITS]);
}

/** `365 days`, `12 hours`, `30 minutes`, `kept forever` for 0: how `parley check` prints a duration. */
export function describeDuration(ms: number): string {
  if (ms <= 0) return 'kept forever';
  for (const [unit, size] of [
    ['day', DAY],
    ['hour', UNITS.h],
    ['minute', UNITS.m],
    ['second', UNITS.s],
  ] as const) {
    if (ms % size === 0) return `${ms / size} ${unit}${ms / size === 1 ? '' : 's'}`;
  }
  return `${ms} ms`;
}
