// An admin's screens: feeds with their health at a glance, adding one (checked by one fetch first), OPML import
// with progress, the delivery dead-letter queue and API keys.
import { call, listAll } from './api.js';
import { countryChoices } from './catalogue.js';
import { field, formatTime, h, replaceChildren } from './dom.js';
import { errorBox, heading, notice, section } from './shell.js';

interface Feed {
  feedId: string;
  url: string;
  sourceName?: string;
  sourceCountry?: string;
  enabled: boolean;
  health: {
    lastSuccessAt?: string;
    lastError?: string;
    lastErrorDetail?: string;
    consecutiveFailures: number;
    state?: string;
    itemsPerDay?: number;
    notModifiedRatio?: number;
  };
}

const percent = (ratio: number | undefined) => (ratio === undefined ? '—' : `${Math.round(ratio * 100)} %`);
const perDay = (n: number | undefined) => (n === undefined ? '—' : n < 10 ? n.toFixed(1) : String(Math.round(n)));

function feedRow(feed: Feed): HTMLTableRowElement {
  const health = feed.health;
  const state = health.state ?? (health.consecutiveFailures > 0 ? 'failing' : 'ok');
  return h(
    'tr',
    {},
    h('th', { scope: 'row', class: 'wrap' }, feed.sourceName ?? feed.feedId, h('br'), h('span', { class: 'hint' }, feed.url)),
    h('td', {}, h('span', { class: `badge badge-${feed.enabled ? state : 'paused'}` }, feed.enabled ? state : 'disabled')),
    h('td', {}, formatTime(health.lastSuccessAt)),
    h('td', { class: 'wrap' }, health.lastError ?? '—', health.lastErrorDetail ? h('span', { class: 'hint' }, ` ${health.lastErrorDetail}`) : null),
    h('td', { class: 'num' }, String(health.consecutiveFailures)),
    h('td', { class: 'num' }, perDay(health.itemsPerDay)),
    h('td', { class: 'num' }, percent(health.notModifiedRatio)),
  );
}

export async function feedsPage(view: HTMLElement): Promise<void> {
  const feeds = await listAll<Feed>('/feeds?limit=500', 'feeds', 5000);
  const failing = feeds.filter((f) => f.health.consecutiveFailures > 0).length;
  replaceChildren(
    view,
    heading('Feeds'),
    h('p', {}, `${feeds.length} feeds, ${failing} failing.`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'feeds' },
        h('caption', { class: 'visually-hidden' }, 'Feeds and their health'),
        h('thead', {}, h('tr', {}, ...['Feed', 'State', 'Last success', 'Last error', 'Failures in a row', 'Items a day', '304 share'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, feeds.map(feedRow)),
      ),
    ),
    addFeedForm(),
    importForm(),
  );
}

function addFeedForm(): HTMLElement {
  const url = h('input', { type: 'url', required: true, autocomplete: 'off' });
  const sourceName = h('input', { type: 'text', maxlength: 200 });
  const country = h('select', {}, h('option', { value: '' }, 'unknown'), countryChoices().map((c) => h('option', { value: c.code }, `${c.name} (${c.code})`)));
  const language = h('input', { type: 'text', maxlength: 2, pattern: '[a-zA-Z]{2}', size: 3 });
  const result = h('div', { role: 'status' });
  const body = () => ({
    url: url.value.trim(),
    ...(sourceName.value.trim() ? { sourceName: sourceName.value.trim() } : {}),
    ...(country.value ? { sourceCountry: country.value } : {}),
    ...(language.value.trim() ? { language: language.value.trim().toLowerCase() } : {}),
  });
  const check = async () => {
    try {
      const { body: v } = await call<{ ok: boolean; format?: string; title?: string; itemCount?: number; reason?: string; detail?: string }>('POST', '/feeds/validate', { url: url.value.trim() });
      replaceChildren(result, v.ok ? notice(`A ${v.format ?? 'feed'}${v.title ? ` “${v.title}”` : ''} with ${v.itemCount ?? 0} items.`) : errorBox(`Not a usable feed: ${v.reason ?? ''} ${v.detail ?? ''}`));
    } catch (error) {
      replaceChildren(result, errorBox(error));
    }
  };
  return section(
    'Add a feed',
    h(
      'form',
      {
        onsubmit: async (event: Event) => {
          event.preventDefault();
          try {
            const { body: feed } = await call<Feed>('POST', '/feeds', body());
            replaceChildren(result, notice(`Added ${feed.sourceName ?? feed.url}. Its first poll is due now.`));
          } catch (error) {
            replaceChildren(result, errorBox(error));
          }
        },
      },
      field('Feed URL', url, 'RSS, Atom or JSON Feed; checked by one fetch before it is added.'),
      h('div', { class: 'row' }, field('Source name', sourceName), field('Source country', country), field('Language', language, 'ISO 639-1')),
      h('p', { class: 'actions' }, h('button', { type: 'button', onclick: () => void check() }, 'Check'), ' ', h('button', { type: 'submit', class: 'primary' }, 'Add feed')),
      result,
    ),
  );
}

interface ImportResult {
  outlines: number;
  added: unknown[];
  skipped: unknown[];
  invalid: { url: string; reason: string; detail: string }[];
}

interface ImportJob extends Partial<ImportResult> {
  id?: string;
  importId?: string;
  state?: string;
  status?: string;
  done?: number;
  total?: number;
  processed?: number;
}

function importSummary(r: Partial<ImportResult>): string {
  return `${r.outlines ?? 0} outlines: ${r.added?.length ?? 0} added, ${r.skipped?.length ?? 0} skipped, ${r.invalid?.length ?? 0} invalid.`;
}

function importForm(): HTMLElement {
  const file = h('input', { type: 'file', accept: '.opml,.xml,text/x-opml,application/xml,text/xml' });
  const country = h('select', {}, h('option', { value: '' }, 'none'), countryChoices().map((c) => h('option', { value: c.code }, `${c.name} (${c.code})`)));
  const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Import progress' });
  const result = h('div', { role: 'status' });
  const run = async () => {
    const chosen = file.files?.[0];
    if (!chosen) {
      replaceChildren(result, errorBox('Choose an OPML file first.'));
      return;
    }
    progress.hidden = false;
    progress.removeAttribute('value');
    try {
      const opml = await chosen.text();
      const { status, body } = await call<ImportJob>('POST', '/feeds/import', { opml, ...(country.value ? { country: country.value } : {}) });
      // A background import (202 and a job id) is followed to its end; a direct one answers with its result.
      const jobId = status === 202 ? (body.importId ?? body.id) : undefined;
      let job = body;
      while (jobId !== undefined && !['done', 'completed', 'failed', 'succeeded'].includes(String(job.state ?? job.status ?? ''))) {
        const done = job.done ?? job.processed;
        if (done !== undefined && job.total) {
          progress.max = job.total;
          progress.value = done;
          result.textContent = `${done} of ${job.total} outlines…`;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
        job = (await call<ImportJob>('GET', `/imports/${encodeURIComponent(jobId)}`)).body;
      }
      progress.max = 1;
      progress.value = 1;
      replaceChildren(
        result,
        notice(importSummary(job)),
        (job.invalid ?? []).length > 0 ? h('ul', {}, (job.invalid ?? []).slice(0, 50).map((i) => h('li', {}, `${i.url}: ${i.reason} (${i.detail})`))) : null,
      );
    } catch (error) {
      progress.hidden = true;
      replaceChildren(result, errorBox(error));
    }
  };
  return section(
    'Import OPML',
    h(
      'form',
      {
        onsubmit: (event: Event) => {
          event.preventDefault();
          void run();
        },
      },
      field('OPML file', file),
      field('Country of feeds the file does not place', country),
      h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Import')),
      progress,
      result,
    ),
  );
}

export async function deadLettersPage(view: HTMLElement): Promise<void> {
  const result = h('div', { role: 'status' });
  replaceChildren(
    view,
    heading('Dead-letter queue'),
    h('p', {}, 'Deliveries that failed every retry wait in the delivery dead-letter queue. A redrive moves them all back to the delivery queue; each is sent at most once per story.'),
    h(
      'p',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: async () => {
            try {
              const { body } = await call<{ moved?: number; taskHandle?: string }>('POST', '/deliveries/dlq/redrive');
              replaceChildren(result, notice(body.moved !== undefined ? `Moved ${body.moved} deliveries back to the queue.` : `Redrive started (task ${body.taskHandle ?? ''}).`));
            } catch (error) {
              replaceChildren(result, errorBox(error));
            }
          },
        },
        'Redrive the dead-letter queue',
      ),
    ),
    result,
  );
}

interface ApiKey {
  keyId: string;
  scope: string;
  owner: string;
  name?: string;
  createdAt: string;
  revokedAt?: string;
}

export async function keysPage(view: HTMLElement): Promise<void> {
  const keys = await listAll<ApiKey>('/keys?limit=500', 'keys');
  const scope = h('select', {}, h('option', { value: 'owner' }, 'owner (one owner’s subscriptions)'), h('option', { value: 'admin' }, 'admin (everything)'));
  const owner = h('input', { type: 'text', autocomplete: 'off' });
  const name = h('input', { type: 'text', maxlength: 200 });
  const result = h('div', { role: 'status' });
  replaceChildren(
    view,
    heading('API keys'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ...['Key id', 'Scope', 'Owner', 'Name', 'Created', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          keys.map((key) =>
            h(
              'tr',
              {},
              h('td', {}, h('code', {}, key.keyId)),
              h('td', {}, key.scope),
              h('td', {}, key.owner),
              h('td', {}, key.name ?? ''),
              h('td', {}, formatTime(key.createdAt)),
              h(
                'td',
                {},
                key.revokedAt
                  ? `revoked ${formatTime(key.revokedAt)}`
                  : h(
                      'button',
                      {
                        type: 'button',
                        class: 'danger',
                        'aria-label': `Revoke key ${key.keyId}`,
                        onclick: async () => {
                          if (!window.confirm(`Revoke key ${key.keyId}? It stops working at once.`)) return;
                          try {
                            await call('DELETE', `/keys/${key.keyId}`);
                            await keysPage(view);
                          } catch (error) {
                            replaceChildren(result, errorBox(error));
                          }
                        },
                      },
                      'Revoke',
                    ),
              ),
            ),
          ),
        ),
      ),
    ),
    section(
      'Create a key',
      h(
        'form',
        {
          onsubmit: async (event: Event) => {
            event.preventDefault();
            try {
              const { body } = await call<ApiKey & { key: string }>('POST', '/keys', {
                scope: scope.value,
                ...(owner.value.trim() ? { owner: owner.value.trim() } : {}),
                ...(name.value.trim() ? { name: name.value.trim() } : {}),
              });
              replaceChildren(result, notice(`Key ${body.keyId} created for ${body.owner}. It is shown this once: copy it now.`, body.key));
            } catch (error) {
              replaceChildren(result, errorBox(error));
            }
          },
        },
        h('div', { class: 'row' }, field('Scope', scope), field('Owner', owner, 'For an owner key.'), field('Name', name)),
        h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create key')),
        result,
      ),
    ),
  );
}
