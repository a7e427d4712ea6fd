/**
 * What the Reports bundle (reports.js, loaded when Reports is first opened) uses of the console
 * that loaded it: its strings and language, and the Console API with its session and CSRF token.
 * The console hands over its own (src/load-reports.ts); the bundle keeps no copy of its state.
 */

import type { Vars } from '../../../shared/i18n.js';

/** The console's side of the link, passed to {@link ReportsBundle.render}. */
export interface ReportsHost {
  /** The console's language now (it can change while Reports is open). */
  lang(): string;
  t(key: string, vars?: Vars | null): string;
  languageName(code: string): string;
  /** Base URL of the Console API, for the CSV links. */
  apiBase: string;
  api<T>(method: string, path: string): Promise<T>;
  messageOf(err: unknown): string;
}

/** What reports.js registers on `window.ParleyConsole.reports` once it has run. */
export interface ReportsBundle {
  /** Draws the Reports view into `area` (the shell's Reports section). */
  render(area: HTMLElement, host: ReportsHost): Promise<void>;
}

declare global {
  interface Window {
    ParleyConsole?: { reports?: ReportsBundle };
  }
}

let host: ReportsHost | undefined;

/** Links the bundle to the console; every render passes the console's host again. */
export function useHost(next: ReportsHost): void {
  host = next;
}

function current(): ReportsHost {
  if (!host) throw new Error('The Reports bundle was used before the console linked it (useHost).');
  return host;
}

export const consoleLang = (): string => current().lang();
export const t = (key: string, vars?: Vars | null): string => current().t(key, vars);
export const languageName = (code: string): string => current().languageName(code);
export const apiBase = (): string => current().apiBase;
export const api = <T>(method: string, path: string): Promise<T> => current().api<T>(method, path);
export const messageOf = (err: unknown): string => current().messageOf(err);
