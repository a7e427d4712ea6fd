import { z } from 'zod';

/** Slack's Web API base; the SDK appends the method name (`chat.postMessage`). */
const defaultSlackApiUrl = 'https://slack.com/api/';

/**
 * Which channel messages (as opposed to DMs and @mentions) become conversations, for apps
 * subscribed to `message.channels` / `message.groups`:
 * - `mentions`: none; only `app_mention` events start or continue a channel conversation;
 * - `threads`: also replies inside threads, so a shopper can answer the bot (or an agent)
 *   in the thread without @mentioning it again;
 * - `all`: every message in every channel the bot is in (a dedicated support channel).
 */
const channelMessageModes = ['mentions', 'threads', 'all'] as const;

/** One of {@link channelMessageModes}. */
export type ChannelMessageMode = (typeof channelMessageModes)[number];

/**
 * The block under `channels.<id>` with `type: slack`. Secrets are optional so `parley check`
 * can list what is missing; without them webhooks are refused and sends fail with a hint.
 */
export const slackConfigSchema = z
  .object({
    /** Bot User OAuth Token, `xoxb-...` (OAuth & Permissions) (SLACK_BOT_TOKEN). */
    botToken: z.string().min(1).optional(),
    /** Signing Secret (Basic Information → App Credentials) (SLACK_SIGNING_SECRET). */
    signingSecret: z.string().min(1).optional(),
    /**
     * The bot's own user id, `U...` (SLACK_BOT_USER_ID). Optional: the bot's messages carry a
     * `bot_id` and events name the bot in `authorizations`; set it to be sure.
     */
    botUserId: z.string().min(1).optional(),
    channelMessages: z.enum(channelMessageModes).default('threads'),
    slackApiUrl: z
      .url({ protocol: /^https?$/ })
      .default(defaultSlackApiUrl)
      .transform((u) => (u.endsWith('/') ? u : `${u}/`)),
    /** How long one Web API call may take. */
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();

/** A validated Slack channel block. */
export type SlackConfig = z.output<typeof slackConfigSchema>;

/** Settings still missing, each naming the env var it usually comes from. */
export function missingSettings(config: SlackConfig): string[] {
  const missing: string[] = [];
  if (!config.botToken) missing.push('botToken (SLACK_BOT_TOKEN)');
  if (!config.signingSecret) missing.push('signingSecret (SLACK_SIGNING_SECRET)');
  return missing;
}
