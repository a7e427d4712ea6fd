/** The admin area: tabs over agents, teams, knowledge-base proposals, ratings and undelivered messages. */

import { h } from '../../../shared/dom.js';
import { messageOf } from '../api.js';
import { type AdminTab, state, ui } from '../state.js';
import { t } from '../strings.js';
import { agentsPanel } from './agents.js';
import { deadPanel } from './dead.js';
import type { AdminPanel } from './form.js';
import { kbPanel } from './kb.js';
import { privacyPanel } from './privacy.js';
import { ratingsPanel } from './ratings.js';
import { teamsPanel } from './teams.js';

const panels: Record<AdminTab, AdminPanel> = {
  agents: agentsPanel,
  teams: teamsPanel,
  kb: kbPanel,
  ratings: ratingsPanel,
  dead: deadPanel,
  privacy: privacyPanel,
};
const TABS: AdminTab[] = ['agents', 'teams', 'kb', 'ratings', 'dead', 'privacy'];

export async function renderAdmin(): Promise<void> {
  const area = ui.admin;
  if (!area) return;
  const refresh = () => void renderAdmin();
  const nav = h(
    'nav',
    { role: 'tablist' },
    TABS.map((tab) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          'aria-selected': String(state.adminTab === tab),
          'data-testid': `admin-tab-${tab}`,
          onclick: () => {
            state.adminTab = tab;
            refresh();
          },
        },
        t(`admin_${tab}`),
      ),
    ),
  );
  const panel = h('div', { role: 'tabpanel' }, h('p', { class: 'muted' }, '…'));
  area.replaceChildren(nav, panel);
  try {
    panel.replaceChildren(await panels[state.adminTab](refresh));
  } catch (err) {
    panel.replaceChildren(h('p', { class: 'error' }, messageOf(err)));
  }
}
