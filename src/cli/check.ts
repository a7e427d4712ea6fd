import { resolve } from 'node:path';
import { coverageProblem, KnowledgeBase, languageCoverage } from '../bot/knowledge/index.js';
import { type GatewayConfig, loadConfig } from '../config/load.js';
import { isParleyError } from '../core/errors.js';
import { FFMPEG_MISSING } from '../media/understand/create.js';
import { ffmpegVersion } from '../media/understand/convert.js';
import { retentionLines } from '../privacy/policy.js';
import { channelDefinitions } from '../server/channels.js';

/**
 * `parley check`: validates the configuration and prints each channel with its webhook URL
 * and what is still missing, and each shop language the knowledge base cannot serve. Exit
 * code 1 when the configuration is invalid or incomplete.
 */
export async function check(file: string, env: Readonly<Record<string, string | undefined>>, print: (line: string) => void): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(file, env, channelDefinitions);
  } catch (err) {
    if (isParleyError(err)) {
      print(err.message);
      return 1;
    }
    throw err;
  }
  print(`Configuration ${config.source} is valid.`);
  print(`Storage: ${config.storage.driver}${config.storage.driver === 'sqlite' ? ` (${config.storage.sqlite.path})` : ''}`);
  print(`Shop languages: ${config.shop.languages.join(', ')} (default ${config.shop.defaultLanguage}, working ${config.shop.workingLanguage})`);
  for (const line of await knowledgeLines(config)) print(line);
  if (config.api.keys.length === 0) print('API: no keys configured (set PARLEY_API_KEY): /api/v1 answers 401 to everyone.');
  for (const line of mailLines(config)) print(line);
  for (const line of retentionLines(config.retention)) print(line);
  print(storeLine(config));
  for (const line of await mediaLines(config)) print(line);
  let incomplete = 0;
  print(`Channels (${config.channels.length}):`);
  for (const c of config.channels) {
    const info = describeChannel(c);
    incomplete += info.missing.length ? 1 : 0;
    print(`  ${c.id} (${c.type}) webhook ${config.server.publicUrl}/webhooks/${c.id} ${info.missing.length ? 'INCOMPLETE' : 'ok'}`);
    for (const m of info.missing) print(`    missing: ${m}`);
    for (const n of info.notes ?? []) print(`    ${n.replace('{publicUrl}', config.server.publicUrl)}`);
  }
  return incomplete ? 1 : 0;
}

/** Who listens to voice notes and looks at photos: the transcriber and ffmpeg, the vision model, or a person. */
async function mediaLines(config: GatewayConfig): Promise<string[]> {
  const t = config.transcription;
  const lines = [
    t.enabled
      ? `Voice notes: transcribed by ${t.model} at ${t.baseURL ?? 'https://api.openai.com/v1'} (up to ${t.maxDurationSec} s; longer ones go to a person).`
      : 'Voice notes: a person listens (transcription is off; set transcription.enabled, docs/media.md).',
  ];
  if (t.enabled) {
    const version = await ffmpegVersion(t.ffmpeg);
    lines.push(version ? `  ffmpeg ${version}: AMR, AAC and 3GP voice notes are converted.` : `  ${FFMPEG_MISSING}`);
  }
  lines.push(
    config.llm.enabled && config.llm.vision
      ? `Photos: seen by ${config.llm.model} (llm.vision); a person decides what the model cannot.`
      : 'Photos: a person looks (no vision model; set llm.enabled and llm.vision with a vision-capable llm.model).',
  );
  return lines;
}

/** Where shoppers' media are kept and what is accepted (never the bucket's credentials). */
function storeLine(config: GatewayConfig): string {
  const m = config.media;
  const where =
    m.store === 's3' && m.s3
      ? `S3 bucket ${m.s3.bucket}${m.s3.endpoint ? ` at ${m.s3.endpoint}` : ''}`
      : `folder ${m.dir ?? `${config.storage.dataDir}/media`}`;
  const mb = (n: number) => `${+(n / 1_000_000).toFixed(1)} MB`;
  const sizes = Object.entries(m.maxBytes).map(([kind, n]) => `${kind} ${mb(n)}`);
  return `Media: stored in the ${where}; up to ${sizes.join(', ')}; ${m.allow.length} types allowed; ${m.downloadTimeoutMs / 1000} s per download, ${m.fetchAttempts} tries.`;
}

function describeChannel(c: GatewayConfig['channels'][number]): { missing: string[]; notes?: string[] } {
  return c.definition.describe?.(c.config) ?? { missing: [] };
}

/**
 * What channels still miss to run, one line each (`tg (telegram): token (TELEGRAM_BOT_TOKEN)`):
 * `parley start` refuses to start while any is missing.
 */
export function missingSettings(config: GatewayConfig): string[] {
  return config.channels.flatMap((c) => describeChannel(c).missing.map((m) => `  ${c.id} (${c.type}) missing: ${m}`));
}

/** The knowledge base per shop language: what each is served from, and what is missing. */
async function knowledgeLines(config: GatewayConfig): Promise<string[]> {
  let kb: KnowledgeBase;
  try {
    kb = await KnowledgeBase.load(resolve(config.knowledge.dir), { workingLanguage: config.shop.workingLanguage });
  } catch (err) {
    return [`Knowledge base: cannot read ${config.knowledge.dir} (${(err as Error).message}). Check knowledge.dir.`];
  }
  const coverage = languageCoverage(kb, config.shop.languages, { translator: hasTranslator(config), model: config.llm.enabled });
  const lines = [
    `Knowledge base: ${kb.articles.length} articles in ${kb.languages.length} languages (${coverage.map((c) => `${c.language} ${c.articles}/${c.of}`).join(', ')})`,
  ];
  for (const c of coverage) {
    const problem = coverageProblem(c, config.knowledge.dir, config.shop.workingLanguage);
    if (problem) lines.push(`  warning: ${problem}`);
  }
  return lines;
}

/** Whether a translation provider other than `none` is configured. */
export function hasTranslator(config: Pick<GatewayConfig, 'translation'>): boolean {
  return config.translation.providers.some((p) => p.type !== 'none');
}

/** How one-time codes for order details go out, and what production needs. */
function mailLines(config: GatewayConfig): string[] {
  if (config.orders.connector === 'none') return [];
  if (config.mail.smtp) return [`Mail: SMTP ${config.mail.smtp.host}:${config.mail.smtp.port} from ${config.mail.from}`];
  if (config.mail.demoMailbox)
    return [
      'Mail: demo mailbox (codes shown at /demo/mailbox, nothing is sent). Production needs mail.smtp (host, port, user, pass) and mail.demoMailbox off.',
    ];
  return [
    '  warning: no mailer: one-time codes for order details cannot be sent, so only shoppers the channel verifies (WhatsApp, signed web chat) see their orders. Set mail.smtp.',
  ];
}
