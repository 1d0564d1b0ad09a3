// An owner's list of subscriptions, and what the other subscription screens share: the shape the API answers with,
// the status badge, the channel in words. The editor is subscription-editor.ts, one subscription's page
// subscription-page.ts.
import { listAll } from './api.js';
import { countryChoices, countryName, topicChoices, topicLabel, type CountryChoice, type TopicChoice } from './catalogue.js';
import { formatTime, h, replaceChildren } from './dom.js';
import { heading, type Session } from './shell.js';

export interface Channel {
  type: string;
  url?: string;
  queueUrl?: string;
  webhookUrl?: string;
  address?: string;
  format?: string;
  secret?: string;
  previousSecretExpiresAt?: string;
  [more: string]: unknown;
}

export interface Subscription {
  subscriptionId: string;
  owner: string;
  name?: string;
  topics: string[];
  countries: string[];
  countryRole?: string;
  keywords: string[];
  query?: string;
  languages?: string[];
  includeSources?: string[];
  excludeSources?: string[];
  minScore?: number;
  channel: Channel;
  frequency?: { mode: string; timeZone?: string; at?: string };
  quietHours?: { start: string; end: string; timeZone: string };
  rateCapPerHour?: number;
  snoozedUntil?: string;
  receiveStoryUpdates?: boolean;
  status: string;
  statusReason?: string;
  createdAt: string;
  updatedAt?: string;
  [more: string]: unknown;
}


export function statusBadge(sub: Pick<Subscription, 'status' | 'snoozedUntil'>): HTMLElement {
  const snoozed = sub.snoozedUntil !== undefined && Date.parse(sub.snoozedUntil) > Date.now();
  const label = snoozed ? `snoozed until ${formatTime(sub.snoozedUntil)}` : sub.status;
  return h('span', { class: `badge badge-${snoozed ? 'snoozed' : sub.status}` }, label);
}

export function channelText(channel: Channel): string {
  switch (channel.type) {
    case 'webhook':
      return `webhook ${channel.url ?? ''}`;
    case 'sqs':
      return `SQS ${channel.queueUrl ?? ''}`;
    case 'slack':
      return 'Slack';
    case 'email':
      return `email ${channel.address ?? ''}`;
    default:
      return channel.type;
  }
}

export async function subscriptionList(view: HTMLElement, session: Session): Promise<void> {
  const subs = await listAll<Subscription>('/subscriptions?limit=200', 'subscriptions');
  const [topics, countries] = [await topicChoices(), countryChoices()];
  replaceChildren(
    view,
    heading('Subscriptions'),
    h('p', {}, h('a', { href: '#/subscriptions/new', class: 'button primary' }, 'New subscription')),
    subs.length === 0
      ? h('p', {}, 'No subscriptions yet.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            {},
            h('caption', { class: 'visually-hidden' }, `${subs.length} subscriptions`),
            h(
              'thead',
              {},
              h('tr', {}, ...['Name', 'Matches', 'Delivers to', 'Status', ...(session.admin ? ['Owner'] : [])].map((t) => h('th', { scope: 'col' }, t))),
            ),
            h(
              'tbody',
              {},
              subs.map((sub) =>
                h(
                  'tr',
                  {},
                  h('td', {}, h('a', { href: `#/subscriptions/${encodeURIComponent(sub.subscriptionId)}` }, sub.name ?? sub.subscriptionId)),
                  h('td', {}, matchSummary(sub, topics, countries)),
                  h('td', { class: 'wrap' }, channelText(sub.channel)),
                  h('td', {}, statusBadge(sub)),
                  session.admin ? h('td', {}, sub.owner) : null,
                ),
              ),
            ),
          ),
        ),
  );
}

function matchSummary(sub: Subscription, topics: readonly TopicChoice[], countries: readonly CountryChoice[]): string {
  const parts = [
    ...sub.topics.map((t) => topicLabel(topics, t)),
    ...sub.countries.map((c) => countryName(countries, c)),
    ...sub.keywords.map((k) => `“${k}”`),
    ...(sub.query ? [sub.query] : []),
  ];
  return parts.length === 0 ? 'everything' : parts.join(' · ');
}

export const list = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** The editor: a new subscription (no `existing`) or a change to one. */
