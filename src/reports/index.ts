/**
 * The console's reports (issue 19, docs/reports.md): eight reports over the facts the store
 * keeps, each a set of tables (with the charts to draw from them), for a period of local days
 * and optional channel, language and team filters.
 *
 * @example
 * ```ts
 * const reports = new Reports(driver.reader(), { currency: 'EUR', prices: { deepl: { perMillionCharacters: 20, perMillionTokens: 0 } } });
 * const report = await reports.run('containment', { from: '2026-03-01', to: '2026-03-07', timeZone: 'Europe/Berlin' });
 * ```
 */
import type { SqlReader } from '../store/driver.js';
import { care } from './care.js';
import { containment } from './containment.js';
import { csat } from './csat.js';
import { handoffs } from './handoffs.js';
import { type Prices, reportContext, type ReportContext } from './query.js';
import { responseTimes } from './response-times.js';
import type { Report, ReportFilters, ReportName } from './types.js';
import { unanswered } from './unanswered.js';
import { usage } from './usage.js';
import { volume } from './volume.js';

const REPORTS: Readonly<Record<ReportName, (ctx: ReportContext) => Promise<Report>>> = {
  volume,
  containment,
  handoffs,
  'response-times': responseTimes,
  csat,
  care,
  usage,
  unanswered,
};

export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];

/** What the filters offer. */
export interface ReportOptions {
  reports: ReportName[];
  channels: string[];
  languages: string[];
  teams: { id: string; name: string }[];
}

export class Reports {
  constructor(
    /** The driver's reader (`SqlDriver.reader()`): on SQLite a connection off the gateway's path. */
    private readonly db: SqlReader,
    private readonly settings: { currency: string; prices: Prices },
  ) {}

  get currency(): string {
    return this.settings.currency;
  }

  /** Runs one report; `filters` are valid already (src/server/console/reports.ts checks them). */
  async run(name: ReportName, filters: ReportFilters): Promise<Report & { currency: string }> {
    const report = await REPORTS[name](reportContext(this.db, filters, this.settings.prices));
    return { ...report, currency: this.settings.currency };
  }

  async options(): Promise<ReportOptions> {
    const [channels, languages, teams] = await Promise.all([
      this.db.all<{ v: string }>('SELECT DISTINCT channel_id AS v FROM conversations ORDER BY 1'),
      this.db.all<{ v: string }>('SELECT DISTINCT language AS v FROM conversations WHERE language IS NOT NULL ORDER BY 1'),
      this.db.all<{ id: string; name: string }>('SELECT id, name FROM teams ORDER BY name, id'),
    ]);
    return { reports: REPORT_NAMES, channels: channels.map((r) => r.v), languages: languages.map((r) => r.v), teams };
  }
}
