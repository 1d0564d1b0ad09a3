// The subscription editor: every field the API has, in two parts (what to match; where and when), with the topic
// and country pickers and a live preview that asks the API what the draft would have sent over the last 7 days.
import { ApiError, call } from './api.js';
import { countryChoices, topicChoices, type CountryChoice, type TopicChoice } from './catalogue.js';
import { announce, field, formatTime, h, replaceChildren } from './dom.js';
import { multiPicker } from './picker.js';
import { errorBox, heading, section, type Session } from './shell.js';
import { list, type Subscription } from './subscriptions.js';

interface Preview {
  days: number;
  scanned: number;
  truncated: boolean;
  matched: number;
  alerts?: { stories: number; messages: number; instant: number; digests: number; held: { digest: number; quietHours: number; rateCap: number } };
  samples: { articleId: string; title: string; url: string; publishedAt: string; sourceName: string }[];
}

type Body = Record<string, unknown>;
/** A part of the form: its elements, and what it adds to the request body. */
interface Part {
  elements: HTMLElement[];
  fill(body: Body): void;
}

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const input = (attrs: Record<string, unknown>) => h('input', { type: 'text', ...attrs });
const select = (options: [string, string][], value: string | undefined) =>
  h('select', {}, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
const optional = (body: Body, key: string, value: unknown) => {
  if (value !== '' && value !== undefined && !(Array.isArray(value) && value.length === 0)) body[key] = value;
};

function matchPart(session: Session, topics: readonly TopicChoice[], countries: readonly CountryChoice[], onChange: () => void, existing?: Subscription): Part {
  const selectedTopics = new Set(existing?.topics ?? []);
  const selectedCountries = new Set(existing?.countries ?? []);
  const name = input({ value: existing?.name ?? '', maxlength: 200, autocomplete: 'off' });
  const owner = input({ value: existing?.owner ?? '', autocomplete: 'off' });
  const countryRole = select(
    [
      ['about', 'about the country (any mention as a subject)'],
      ['primary', 'mainly about the country'],
      ['source', 'published by a source from the country'],
    ],
    existing?.countryRole ?? 'about',
  );
  const keywords = h('textarea', { rows: 2 }, (existing?.keywords ?? []).join('\n'));
  const query = input({ value: existing?.query ?? '', maxlength: 1000 });
  const languages = input({ value: (existing?.languages ?? []).join(', '), autocomplete: 'off' });
  const includeSources = input({ value: (existing?.includeSources ?? []).join(', ') });
  const excludeSources = input({ value: (existing?.excludeSources ?? []).join(', ') });
  const minScore = input({ type: 'number', min: 0, max: 1, step: 0.05, value: existing?.minScore ?? '' });
  const topicPicker = multiPicker({
    legend: 'Topics (IPTC Media Topics; a topic includes its subtopics)',
    noun: 'topic',
    choices: topics.map((t) => ({ value: t.code, label: t.label, depth: t.depth, ...(t.path.length > 0 ? { hint: t.path.join(' › ') } : {}) })),
    selected: selectedTopics,
    onChange,
  });
  const countryPicker = multiPicker({
    legend: 'Countries',
    noun: 'country',
    choices: countries.map((c) => ({ value: c.code, label: c.name, hint: c.code })),
    selected: selectedCountries,
    onChange,
  });
  return {
    elements: [
      field('Name', name, 'For you: shown in lists and alerts.'),
      ...(session.admin ? [field('Owner', owner, 'Leave empty for the admin’s own.')] : []),
      topicPicker,
      countryPicker,
      field('Country role', countryRole),
      field('Keywords', keywords, 'One a line or comma-separated; any of them matches.'),
      field('Query', query, 'Boolean keyword query, e.g. (election OR vote) AND NOT poll.'),
      field('Languages', languages, 'ISO 639-1 codes, comma-separated (en, de, fr); empty: any.'),
      field('Only these sources', includeSources, 'Feed ids or source names, comma-separated.'),
      field('Never these sources', excludeSources),
      field('Minimum topic score', minScore, 'From 0 to 1; empty: the default.'),
    ],
    fill(body) {
      body.topics = [...selectedTopics];
      body.countries = [...selectedCountries];
      body.keywords = list(keywords.value);
      optional(body, 'name', name.value.trim());
      if (session.admin) optional(body, 'owner', owner.value.trim());
      if (selectedCountries.size > 0) body.countryRole = countryRole.value;
      optional(body, 'query', query.value.trim());
      optional(body, 'languages', list(languages.value).map((l) => l.toLowerCase()));
      optional(body, 'includeSources', list(includeSources.value));
      optional(body, 'excludeSources', list(excludeSources.value));
      if (minScore.value !== '') body.minScore = Number(minScore.value);
    },
  };
}

function channelPart(existing?: Subscription): Part {
  const channelType = select(
    [
      ['webhook', 'Webhook (signed)'],
      ['email', 'Email'],
      ['slack', 'Slack'],
      ['sqs', 'Amazon SQS queue'],
      ['sns', 'The deployment’s SNS topic'],
    ],
    existing?.channel.type ?? 'webhook',
  );
  const channelUrl = input({ type: 'url', value: existing?.channel.url ?? existing?.channel.webhookUrl ?? existing?.channel.queueUrl ?? '' });
  const address = input({ type: 'email', value: existing?.channel.address ?? '', autocomplete: 'email' });
  const format = select(
    [
      ['html', 'HTML and text'],
      ['text', 'text only'],
    ],
    existing?.channel.format ?? 'html',
  );
  const urlField = field('Delivery URL', channelUrl, 'Webhook: your endpoint. Slack: the incoming-webhook URL. SQS: the queue URL.');
  const emailFields = h('div', {}, field('Email address', address, 'A confirmation mail goes here first; nothing else until it is confirmed.'), field('Format', format));
  const sync = () => {
    urlField.hidden = !['webhook', 'slack', 'sqs'].includes(channelType.value);
    emailFields.hidden = channelType.value !== 'email';
  };
  channelType.addEventListener('change', sync);
  sync();
  return {
    elements: [field('Channel', channelType), urlField, emailFields],
    fill(body) {
      const type = channelType.value;
      const url = channelUrl.value.trim();
      const shapes: Record<string, Body> = {
        webhook: { type, url },
        slack: { type, webhookUrl: url },
        sqs: { type, queueUrl: url },
        email: { type, address: address.value.trim(), format: format.value },
      };
      body.channel = shapes[type] ?? { type };
    },
  };
}

function timingPart(existing?: Subscription): Part {
  const frequency = select(
    [
      ['instant', 'at once'],
      ['hourly', 'hourly digest'],
      ['daily', 'daily digest'],
    ],
    existing?.frequency?.mode ?? 'instant',
  );
  const timeZone = input({ value: existing?.frequency?.timeZone ?? existing?.quietHours?.timeZone ?? localZone(), autocomplete: 'off' });
  const digestAt = input({ type: 'time', value: existing?.frequency?.at ?? '' });
  const quietOn = h('input', { type: 'checkbox', id: 'quiet-on', checked: existing?.quietHours !== undefined });
  const quietStart = input({ type: 'time', value: existing?.quietHours?.start ?? '22:00' });
  const quietEnd = input({ type: 'time', value: existing?.quietHours?.end ?? '07:00' });
  const rateCap = input({ type: 'number', min: 1, max: 3600, step: 1, value: existing?.rateCapPerHour ?? '' });
  const storyUpdates = h('input', { type: 'checkbox', id: 'story-updates', checked: existing?.receiveStoryUpdates === true });
  const digestAtField = field('Digest time', digestAt, 'Daily: the local time (default 08:00). Hourly: the minute.');
  const quietRow = h('div', { class: 'row' }, field('Quiet from', quietStart), field('until', quietEnd));
  const sync = () => {
    digestAtField.hidden = frequency.value === 'instant';
    quietRow.hidden = !quietOn.checked;
  };
  frequency.addEventListener('change', sync);
  quietOn.addEventListener('change', sync);
  sync();
  return {
    elements: [
      field('Frequency', frequency),
      field('Time zone', timeZone, 'IANA name, e.g. Europe/Berlin: for digests and quiet hours.'),
      digestAtField,
      h('div', { class: 'field check' }, quietOn, h('label', { for: quietOn.id }, 'Quiet hours (alerts wait until they end)')),
      quietRow,
      field('At most this many alerts an hour', rateCap, 'The rest wait for the next hour’s digest. Empty: no cap.'),
      h('div', { class: 'field check' }, storyUpdates, h('label', { for: storyUpdates.id }, 'Also alert when a story I was alerted to is updated')),
    ],
    fill(body) {
      if (frequency.value !== 'instant') {
        body.frequency = { mode: frequency.value, timeZone: timeZone.value.trim(), ...(digestAt.value !== '' ? { at: digestAt.value } : {}) };
      }
      if (quietOn.checked) body.quietHours = { start: quietStart.value, end: quietEnd.value, timeZone: timeZone.value.trim() };
      if (rateCap.value !== '') body.rateCapPerHour = Number(rateCap.value);
      if (storyUpdates.checked) body.receiveStoryUpdates = true;
    },
  };
}

/** The preview panel: asks again a moment after the last change; a late answer to an older draft is dropped. */
function previewPanel(draft: () => Body): { element: HTMLElement; refresh: () => void; run: () => Promise<void> } {
  const box = h('div', { class: 'preview-body' }, h('p', { class: 'hint' }, 'Choose topics, countries or keywords to see what they would have sent.'));
  let seq = 0;
  let timer: number | undefined;
  const run = async () => {
    const mine = ++seq;
    box.setAttribute('aria-busy', 'true');
    try {
      const { body } = await call<Preview>('POST', '/subscriptions/preview', draft());
      if (mine === seq) replaceChildren(box, renderPreview(body));
    } catch (error) {
      if (mine === seq) replaceChildren(box, errorBox(error));
    } finally {
      if (mine === seq) box.removeAttribute('aria-busy');
    }
  };
  const element = h('aside', { class: 'preview', 'aria-labelledby': 'preview-title' }, h('h2', { id: 'preview-title' }, 'Preview: the last 7 days'), h('div', { 'aria-live': 'polite' }, box));
  return {
    element,
    run,
    refresh: () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void run(), 350);
    },
  };
}

/** The editor: a new subscription (no `existing`) or a change to one. */
export async function subscriptionEditor(view: HTMLElement, session: Session, existing?: Subscription): Promise<void> {
  const [topics, countries] = [await topicChoices(), countryChoices()];
  let parts: Part[] = [];
  const draft = () => {
    const body: Body = {};
    for (const part of parts) part.fill(body);
    return body;
  };
  const preview = previewPanel(draft);
  const match = matchPart(session, topics, countries, preview.refresh, existing);
  const channel = channelPart(existing);
  const timing = timingPart(existing);
  parts = [match, channel, timing];
  const message = h('div', { class: 'form-message' });
  const save = async () => {
    replaceChildren(message);
    try {
      const { body } = existing
        ? await call<Subscription>('PUT', `/subscriptions/${encodeURIComponent(existing.subscriptionId)}`, draft())
        : await call<Subscription>('POST', '/subscriptions', draft());
      session.flash = body.channel.secret
        ? { text: 'Saved. The webhook signing secret is shown this once: copy it now.', secret: body.channel.secret }
        : { text: existing ? 'Changes saved.' : 'Subscription created.' };
      location.hash = `#/subscriptions/${encodeURIComponent(body.subscriptionId)}`;
    } catch (error) {
      replaceChildren(message, errorBox(error));
      announce(error instanceof ApiError ? error.describe() : 'Not saved');
    }
  };
  const cancel = existing ? `#/subscriptions/${encodeURIComponent(existing.subscriptionId)}` : '#/subscriptions';
  const form = h(
    'form',
    {
      class: 'editor',
      novalidate: true,
      oninput: preview.refresh,
      onchange: preview.refresh,
      onsubmit: (event: Event) => {
        event.preventDefault();
        void save();
      },
    },
    section('What to match', match.elements),
    section('Where and when', channel.elements, timing.elements),
    message,
    h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, existing ? 'Save changes' : 'Create subscription'), ' ', h('a', { href: cancel }, 'Cancel')),
  );
  replaceChildren(view, heading(existing ? `Edit ${existing.name ?? existing.subscriptionId}` : 'New subscription'), h('div', { class: 'split' }, form, preview.element));
  if (existing) void preview.run();
}

function renderPreview(preview: Preview): HTMLElement {
  const alerts = preview.alerts;
  const held = alerts ? [['digest', alerts.held.digest], ['quiet hours', alerts.held.quietHours], ['rate cap', alerts.held.rateCap]].filter(([, n]) => Number(n) > 0) : [];
  return h(
    'div',
    { class: 'preview-result' },
    h(
      'p',
      { class: 'preview-summary' },
      h('strong', {}, `${preview.matched} article${preview.matched === 1 ? '' : 's'}`),
      ` matched out of ${preview.scanned} from the last ${preview.days} days`,
      alerts ? [': ', h('strong', {}, `${alerts.stories} ${alerts.stories === 1 ? 'story' : 'stories'}`), ', ', h('strong', { class: 'messages' }, `${alerts.messages} message${alerts.messages === 1 ? '' : 's'}`), ` (${alerts.instant} at once, ${alerts.digests} digest${alerts.digests === 1 ? '' : 's'})`] : null,
      '.',
    ),
    held.length > 0 ? h('p', { class: 'hint' }, `Held for a digest: ${held.map(([why, n]) => `${n} by ${why}`).join(', ')}.`) : null,
    preview.truncated ? h('p', { class: 'hint' }, 'Only the most recent articles were scanned.') : null,
    preview.samples.length > 0
      ? h(
          'ol',
          { class: 'samples' },
          preview.samples.map((s) =>
            h('li', {}, h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.title), h('span', { class: 'hint' }, ` ${s.sourceName} · ${formatTime(s.publishedAt)}`)),
          ),
        )
      : null,
  );
}

/** The email channel's double opt-in state (issue 12 item 1: `channel.confirmation`, `channel.confirmedAt`). */
