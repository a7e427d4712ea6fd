import { z } from 'zod';

/** Where the Bot Connector publishes the keys that sign its tokens (channel -> bot). */
const defaultOpenIdMetadataUrl = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
/**
 * Where Microsoft Entra ID publishes the keys behind Bot Framework Emulator tokens
 * (botframework-connector `AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl`).
 */
const defaultEmulatorOpenIdMetadataUrl = 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration';

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * The block under `channels.<id>` with `type: botframework` (Azure Bot: Microsoft Teams, Web
 * Chat / Direct Line and the other Azure Bot channels). Secrets are optional so `parley check`
 * can list what is missing; without an app id every webhook is refused unless `allowAnonymous`.
 */
export const botframeworkConfigSchema = z
  .object({
    /** The bot's Microsoft App ID (Azure Bot → Configuration) (MICROSOFT_APP_ID). The token audience. */
    appId: z.string().min(1).optional(),
    /** A client secret of that app registration (MICROSOFT_APP_PASSWORD). */
    appPassword: z.string().min(1).optional(),
    /** Directory (tenant) id, only for single-tenant bots (MICROSOFT_APP_TENANT_ID). */
    tenantId: z.string().min(1).optional(),
    /** OpenID metadata of the Bot Connector; its `jwks_uri` lists the signing keys. */
    openIdMetadataUrl: httpUrl.default(defaultOpenIdMetadataUrl),
    /** OpenID metadata for Emulator tokens (issued by Microsoft Entra ID with the bot's own credentials). */
    emulatorOpenIdMetadataUrl: httpUrl.default(defaultEmulatorOpenIdMetadataUrl),
    /** Accept tokens the Bot Framework Emulator obtains with the bot's credentials (the SDK does by default). */
    acceptEmulatorTokens: z.boolean().default(true),
    /** OAuth token endpoint for the bot's outbound token; derived from `tenantId` when absent. */
    tokenEndpoint: httpUrl.optional(),
    /**
     * Development only: with no `appId`, accept requests without any token (Emulator without
     * credentials) and send replies without a bearer. Never set this on a public endpoint.
     */
    allowAnonymous: z.boolean().default(false),
    /**
     * Hosts whose attachment `contentUrl`s are the Connector's and need the bot's token (a host,
     * or `.suffix` for its subdomains); any other contentUrl is fetched without it.
     */
    connectorHosts: z.array(z.string().min(1)).default(['.trafficmanager.net', '.botframework.com', '.botframework.azure.us']),
  })
  .strict();

/** A validated Bot Framework channel block. */
export type BotframeworkConfig = z.output<typeof botframeworkConfigSchema>;

/** The scope of the bot's outbound token (client credentials grant). */
export const botFrameworkScope = 'https://api.botframework.com/.default';

/**
 * The token endpoint the bot uses: the configured one, or the tenant's (single-tenant bots), or
 * the `botframework.com` tenant (multi-tenant bots), as botframework-connector derives it.
 */
export function tokenEndpoint(config: BotframeworkConfig): string {
  if (config.tokenEndpoint) return config.tokenEndpoint;
  return `https://login.microsoftonline.com/${config.tenantId ?? 'botframework.com'}/oauth2/v2.0/token`;
}

/** True when requests are accepted without a token: no app id and anonymous explicitly allowed. */
export function isAnonymous(config: BotframeworkConfig): boolean {
  return !config.appId && config.allowAnonymous;
}

/** Settings still missing, each naming the env var it usually comes from. */
export function missingSettings(config: BotframeworkConfig): string[] {
  if (isAnonymous(config)) return [];
  const missing: string[] = [];
  if (!config.appId) missing.push('appId (MICROSOFT_APP_ID)');
  if (!config.appPassword) missing.push('appPassword (MICROSOFT_APP_PASSWORD)');
  return missing;
}
