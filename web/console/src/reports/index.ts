/**
 * The Reports bundle: reports.js, built by scripts/build-web.mjs apart from console.js so that
 * chart.js is downloaded only by those who open Reports. Running it registers the view on
 * `window.ParleyConsole.reports`; the console (src/load-reports.ts) loads it and calls `render`.
 */

import { type ReportsBundle, useHost } from './host.js';
import { renderReports } from './view.js';

const bundle: ReportsBundle = {
  render(area, host) {
    useHost(host);
    return renderReports(area);
  },
};

window.ParleyConsole = { ...window.ParleyConsole, reports: bundle };
