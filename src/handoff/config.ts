/**
 * The `handoff:` and `console:` blocks of the gateway configuration (docs/console.md).
 */
import { z } from 'zod';
import { parseRanges, weekdays } from './hours.js';

const num = (def: number) => z.coerce.number().int().nonnegative().default(def);
const bool = (def: boolean) => z.union([z.boolean(), z.stringbool()]).default(def);
const ranges = z.string().refine((s) => {
  try {
    parseRanges(s);
    return true;
  } catch {
    return false;
  }
}, 'use HH:MM-HH:MM, several ranges separated by commas (e.g. 09:00-12:00,13:00-18:00), or "closed"');
const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'use an IANA time zone such as Europe/Amsterdam or Asia/Shanghai');

/** One team: its languages and skills, its time zone and opening hours. */
export const teamSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'team ids use a-z, 0-9, - and _'),
  name: z.string().min(1),
  languages: z.array(z.string()).default([]),
  skills: z.array(z.string()).default([]),
  timezone: timezone.default('UTC'),
  /** `mon: 09:00-18:00`; days left out are closed; no hours at all means always open. */
  hours: z.partialRecord(z.enum(weekdays), ranges).optional(),
  /** Closed dates (YYYY-MM-DD, in the team's time zone). */
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'holidays are YYYY-MM-DD')).default([]),
});

/** `handoff:` — when conversations go to people and how they are routed. */
export const handoffSchema = z
  .object({
    /** `auto`: the least-busy online agent gets each queued conversation; `pick`: agents take them from the queue. */
    assignment: z.enum(['auto', 'pick']).default('auto'),
    /** Tell the shopper nobody is free after this long in the queue (0: never). */
    noAgentTimeoutMs: num(300_000),
    /** Unsure bot answers in a row before a person takes over (0: never). */
    lowConfidenceStreak: num(3),
    /** Hand angry or distressed shoppers to a person. */
    detectEmotion: bool(true),
    /** Ask the shopper for a 1–5 rating when an agent resolves or releases the conversation. */
    feedback: bool(true),
    /** Default capacity of a new agent. */
    defaultCapacity: num(5),
    rules: z
      .object({
        keywords: z.array(z.string().min(1)).default([]),
        vipCustomerRefs: z.array(z.string()).default([]),
        /** `channelId:platformUserId`, e.g. `telegram:12345`. */
        vipIdentities: z.array(z.string()).default([]),
        /** Orders worth more than this go to a person when the shopper mentions them (needs an orders connector). */
        orderValueAbove: z.coerce.number().positive().optional(),
      })
      .prefault({}),
    teams: z.array(teamSchema).default([]),
  })
  .prefault({});

/** A canned reply: a title and the text per console language (`en` is the fallback). */
const cannedSchema = z.object({
  id: z.string().min(1),
  title: z.union([z.string(), z.record(z.string(), z.string())]),
  text: z.union([z.string(), z.record(z.string(), z.string())]),
});

/** `console:` — the agent console. */
export const consoleSchema = z
  .object({
    /** The first admin, created at start when there are no agents yet. Set the password from an env var. */
    admin: z
      .object({
        email: z.string().email('console.admin.email must be an e-mail address'),
        password: z.string().min(10, 'must be at least 10 characters (set it with PARLEY_ADMIN_PASSWORD)').optional(),
        name: z.string().default('Admin'),
        language: z.string().default('en'),
      })
      .optional(),
    /** A session ends this long after sign-in, however busy. */
    sessionTtlHours: num(12),
    /** A session unused this long ends (its open console closes and asks to sign in again); 0: never. */
    sessionIdleMinutes: num(120),
    cannedReplies: z.array(cannedSchema).default([]),
  })
  .prefault({});

export type HandoffSettings = z.infer<typeof handoffSchema>;
export type ConsoleSettings = z.infer<typeof consoleSchema>;
