/**
 * Reports, loaded when first opened. chart.js and the report views are reports.js, a bundle of
 * their own (scripts/build-web.mjs), so the agents who never open Reports never download them.
 * Why a `<script>` element: the console's policy is `script-src 'self'` (src/server/headers.ts),
 * which lets a script of this origin run and nothing inline or evaluated.
 */

import { h } from '../../shared/dom.js';
import { API, api, messageOf } from './api.js';
import type { ReportsBundle, ReportsHost } from './reports/host.js';
import { state, ui } from './state.js';
import { languageName, t } from './strings.js';

/** Beside console.js (index.html), served by the same static route with the same headers. */
const BUNDLE_URL = '/console/assets/reports.js';

const host: ReportsHost = { lang: () => state.lang, t, languageName, apiBase: API, api, messageOf };

let loading: Promise<ReportsBundle> | null = null;

/** Adds the script once; a failed load is forgotten (its element removed) so that a retry fetches again. */
function loadBundle(): Promise<ReportsBundle> {
  const ready = window.ParleyConsole?.reports;
  if (ready) return Promise.resolve(ready);
  loading ??= new Promise<ReportsBundle>((resolve, reject) => {
    const failed = () => {
      script.remove();
      loading = null;
      reject(new Error(`${BUNDLE_URL} did not load`));
    };
    const script = h('script', {
      src: BUNDLE_URL,
      onload: () => {
        const bundle = window.ParleyConsole?.reports;
        if (bundle) resolve(bundle);
        else failed();
      },
      onerror: failed,
    });
    document.head.append(script);
  });
  return loading;
}

/** Draws the Reports view into its area of the shell, loading its bundle first if need be. */
export async function renderReports(): Promise<void> {
  const area = ui.reports;
  if (!area) return;
  const title = h('h2', {}, t('reports.title'));
  if (!window.ParleyConsole?.reports) {
    area.setAttribute('aria-busy', 'true');
    area.replaceChildren(title, h('p', { class: 'muted', role: 'status', 'data-testid': 'reports-loading' }, t('reports.loading')));
  }
  let bundle: ReportsBundle;
  try {
    bundle = await loadBundle();
  } catch {
    if (ui.reports !== area) return;
    const retry = h('button', { type: 'button', 'data-testid': 'reports-retry', onclick: () => void renderReports() }, t('reports.retry'));
    area.replaceChildren(title, h('div', { class: 'error', role: 'alert', 'data-testid': 'reports-unavailable' }, t('reports.unavailable'), ' ', retry));
    return;
  } finally {
    area.removeAttribute('aria-busy');
  }
  // The agent left Reports, or the shell was drawn again (a new language), while it loaded.
  if (ui.reports === area) await bundle.render(area, host);
}
