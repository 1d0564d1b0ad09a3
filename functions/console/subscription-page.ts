// One subscription's page: what it matches and where it delivers, its state and actions (test-fire, pause, resume,
// snooze, rotate the signing secret, delete), the email confirmation state, the alert feed links and the delivery log.
import { ApiError, call } from './api.js';
import { countryChoices, countryName, topicChoices, topicLabel } from './catalogue.js';
import { field, formatTime, h, replaceChildren } from './dom.js';
import { errorBox, heading, notice, section, type Session } from './shell.js';
import { channelText, statusBadge, type Subscription } from './subscriptions.js';

function emailState(sub: Subscription): HTMLElement | null {
  if (sub.channel.type !== 'email') return null;
  const confirmedAt = typeof sub.channel.confirmedAt === 'string' ? sub.channel.confirmedAt : undefined;
  const state = sub.channel.confirmation === 'confirmed' || (sub.channel.confirmation === undefined && confirmedAt) ? 'confirmed' : 'waiting for confirmation: follow the link in the mail';
  return h('div', {}, h('dt', {}, 'Email'), h('dd', { class: 'email-state' }, state, confirmedAt ? ` (${formatTime(confirmedAt)})` : ''));
}

interface FeedLinks {
  atom: string;
  json: string;
}

/**
 * The alert feed (issue 12 item 2): links a feed reader can follow without a key (a signed token is in them), and a
 * new token when one leaked. A server without the alert feed answers 404 here, and the section stays hidden.
 */
async function loadFeedLinks(box: HTMLElement, path: string): Promise<void> {
  let links: FeedLinks;
  try {
    links = (await call<FeedLinks>('GET', `${path}/feed-links`)).body;
  } catch {
    box.hidden = true;
    return;
  }
  const result = h('div', { role: 'status' });
  box.hidden = false;
  const draw = (current: FeedLinks) =>
    replaceChildren(
      box,
      h('h2', {}, 'Alert feed'),
      h('p', {}, 'Follow this subscription in a feed reader; the links carry their own token, no key.'),
      h('ul', {}, h('li', {}, h('a', { href: current.atom, class: 'feed-link' }, 'Atom feed')), h('li', {}, h('a', { href: current.json }, 'JSON Feed'))),
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            try {
              const rotated = (await call<FeedLinks>('POST', `${path}/rotate-feed-token`)).body;
              draw(rotated);
              replaceChildren(result, notice('New feed links: the old ones stopped working.'));
            } catch (error) {
              replaceChildren(result, errorBox(error));
            }
          },
        },
        'New feed links (the old ones stop working)',
      ),
      result,
    );
  draw(links);
}

export async function subscriptionPage(view: HTMLElement, session: Session, id: string): Promise<void> {
  const path = `/subscriptions/${encodeURIComponent(id)}`;
  const [{ body: sub }, topics, countries] = [await call<Subscription>('GET', path), await topicChoices(), countryChoices()];
  const flash = session.flash;
  session.flash = undefined;
  const result = h('div', { role: 'status', class: 'result' });
  const act = (label: string, run: () => Promise<string | HTMLElement>, attrs: Record<string, unknown> = {}) =>
    h(
      'button',
      {
        type: 'button',
        ...attrs,
        onclick: async (event: Event) => {
          const button = event.currentTarget as HTMLButtonElement;
          button.disabled = true;
          try {
            const outcome = await run();
            replaceChildren(result, typeof outcome === 'string' ? notice(outcome) : outcome);
          } catch (error) {
            replaceChildren(result, errorBox(error));
          } finally {
            button.disabled = false;
          }
        },
      },
      label,
    );
  const reload = async (text: string) => {
    session.flash = { text };
    await subscriptionPage(view, session, id);
    return text;
  };
  const snoozeUntil = h('input', { type: 'datetime-local', id: 'snooze-until' });
  const deliveries = h('div', {}, h('p', { class: 'hint' }, 'Loading the delivery log…'));
  const feedLinks = h('section', { hidden: true });

  const rows: [string, string | Node][] = [
    ['Status', statusBadge(sub)],
    ...(sub.statusReason ? ([['Why', sub.statusReason]] as [string, string][]) : []),
    ['Topics', sub.topics.length === 0 ? 'any' : sub.topics.map((t) => topicLabel(topics, t)).join(', ')],
    ['Countries', sub.countries.length === 0 ? 'any' : `${sub.countries.map((c) => countryName(countries, c)).join(', ')} (${sub.countryRole ?? 'about'})`],
    ['Keywords', sub.keywords.length === 0 ? 'none' : sub.keywords.join(', ')],
    ...(sub.query ? ([['Query', sub.query]] as [string, string][]) : []),
    ...(sub.languages?.length ? ([['Languages', sub.languages.join(', ')]] as [string, string][]) : []),
    ['Delivers to', channelText(sub.channel)],
    ['When', sub.frequency && sub.frequency.mode !== 'instant' ? `${sub.frequency.mode} digest (${sub.frequency.timeZone ?? ''})` : 'at once'],
    ...(sub.quietHours ? ([['Quiet hours', `${sub.quietHours.start}–${sub.quietHours.end} ${sub.quietHours.timeZone}`]] as [string, string][]) : []),
    ...(sub.rateCapPerHour ? ([['Rate cap', `${sub.rateCapPerHour} an hour`]] as [string, string][]) : []),
    ['Created', formatTime(sub.createdAt)],
  ];
  replaceChildren(
    view,
    heading(sub.name ?? sub.subscriptionId),
    flash ? h('div', { role: 'status' }, notice(flash.text, flash.secret)) : null,
    h('dl', { class: 'facts' }, rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))), emailState(sub)),
    section(
      'Actions',
      h(
        'div',
        { class: 'toolbar' },
        h('a', { class: 'button', href: `#/subscriptions/${encodeURIComponent(id)}/edit` }, 'Edit'),
        act('Send a test alert', async () => {
          const { body } = await call<{ deliveryId: string }>('POST', `${path}/test`);
          return `Test alert queued (${body.deliveryId}). It shows in the delivery log once sent.`;
        }),
        sub.status === 'paused' || sub.status === 'disabled' || sub.snoozedUntil
          ? act('Resume', async () => (await call('POST', `${path}/resume`), reload('Resumed.')))
          : act('Pause', async () => (await call('POST', `${path}/pause`), reload('Paused: no alerts until resumed.'))),
        sub.channel.type === 'email' && sub.channel.confirmation === 'pending'
          ? act('Send the confirmation mail again', async () => (await call('POST', `${path}/confirmation`), 'Confirmation mail sent.'))
          : null,
        sub.channel.type === 'webhook'
          ? act('Rotate signing secret', async () => {
              const { body } = await call<{ secret: string; previousSecretExpiresAt?: string }>('POST', `${path}/rotate-secret`);
              return notice(`New secret, shown this once. The old one keeps working until ${formatTime(body.previousSecretExpiresAt)}.`, body.secret);
            })
          : null,
        act(
          'Delete',
          async () => {
            if (!window.confirm(`Delete “${sub.name ?? sub.subscriptionId}”? This cannot be undone.`)) return 'Not deleted.';
            await call('DELETE', path);
            session.flash = { text: 'Subscription deleted.' };
            location.hash = '#/subscriptions';
            return 'Deleted.';
          },
          { class: 'danger' },
        ),
      ),
      h(
        'div',
        { class: 'row snooze' },
        field('Snooze until', snoozeUntil, 'No alerts until then (what matches meanwhile is dropped).'),
        act('Snooze', async () => {
          if (snoozeUntil.value === '') throw new ApiError(400, { detail: 'Choose when the snooze ends.' });
          await call('POST', `${path}/snooze`, { until: new Date(snoozeUntil.value).toISOString() });
          return reload(`Snoozed until ${formatTime(new Date(snoozeUntil.value).toISOString())}.`);
        }),
      ),
      result,
    ),
    feedLinks,
    section('Delivery log', deliveries),
  );
  void loadFeedLinks(feedLinks, path);
  void loadDeliveries(deliveries, path);
}

interface Delivery {
  articleId: string;
  deliveryId: string;
  status: string;
  attempts: number;
  lastError?: string;
  createdAt: string;
  deliveredAt?: string;
  failedAt?: string;
}

async function loadDeliveries(box: HTMLElement, path: string): Promise<void> {
  try {
    const { body } = await call<{ deliveries: Delivery[] }>('GET', `${path}/deliveries?limit=50`);
    replaceChildren(
      box,
      body.deliveries.length === 0
        ? h('p', {}, 'Nothing delivered yet.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'deliveries' },
              h('thead', {}, h('tr', {}, ...['When', 'What', 'Status', 'Attempts', 'Last error'].map((t) => h('th', { scope: 'col' }, t)))),
              h(
                'tbody',
                {},
                body.deliveries.map((d) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, formatTime(d.deliveredAt ?? d.failedAt ?? d.createdAt)),
                    h('td', { class: 'wrap' }, d.articleId.startsWith('test_') ? 'test alert' : d.articleId.startsWith('digest#') ? 'digest' : d.articleId),
                    h('td', {}, h('span', { class: `badge badge-${d.status}` }, d.status)),
                    h('td', {}, String(d.attempts)),
                    h('td', { class: 'wrap' }, d.lastError ?? ''),
                  ),
                ),
              ),
            ),
          ),
    );
  } catch (error) {
    replaceChildren(box, errorBox(error));
  }
}

