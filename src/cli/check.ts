import { isParleyError } from '../core/errors.js';
import { loadConfig } from '../config/load.js';
import { channelDefinitions } from '../server/channels.js';

/**
 * `parley check`: validates the configuration and prints each channel with its webhook URL
 * and what is still missing. Exit code 1 when the configuration is invalid or incomplete.
 */
export function check(file: string, env: Readonly<Record<string, string | undefined>>, print: (line: string) => void): number {
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
  if (config.api.keys.length === 0) print('API: no keys configured (set PARLEY_API_KEY): /api/v1 answers 401 to everyone.');
  let incomplete = 0;
  print(`Channels (${config.channels.length}):`);
  for (const c of config.channels) {
    const info = c.definition.describe?.(c.config) ?? { missing: [] };
    incomplete += info.missing.length ? 1 : 0;
    print(`  ${c.id} (${c.type}) webhook ${config.server.publicUrl}/webhooks/${c.id} ${info.missing.length ? 'INCOMPLETE' : 'ok'}`);
    for (const m of info.missing) print(`    missing: ${m}`);
    for (const n of info.notes ?? []) print(`    ${n.replace('{publicUrl}', config.server.publicUrl)}`);
  }
  return incomplete ? 1 : 0;
}
