// /subscriptions: create, read, update (PUT/PATCH), delete, pause, resume, snooze, rotate the webhook secret,
// test-fire, the delivery log and a preview. Owner keys see only their own subscriptions: anyone else's is "not
// found" (404), so ids cannot be probed.
import { ADMIN_OWNER, OWNER_PATTERN } from '#domain/api-key.js';
import { buildAlert, deliveryIdFor } from '#domain/alert.js';
import { summariseAlerts } from '#domain/alert-preview.js';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors.js';
import { matchSubscriptionContent } from '#domain/matching.js';
import { parseSubscriptionInput, subscriptionInputSchema, type SubscriptionInput } from '#domain/subscription-input.js';
import {
  newSubscription,
  patchSubscription,
  pauseSubscription,
  publicSubscription,
  replaceSubscription,
  resumeSubscription,
  rotateSecretInputSchema,
  rotateWebhookSecret,
  snoozeInputSchema,
  snoozeSubscription,
} from '#domain/subscription.js';
import type { ClassifiedArticle, DeliveryMessage, Subscription } from '#domain/types.js';
import { generateWebhookSecret } from '#domain/webhook-signature.js';
import * as z from 'zod';
import { takeActionSlot } from './action-limits.js';
import { checkUrl } from './check-url.js';
import type { ApiDeps } from './deps.js';
import { createCursors, listing, pageQuery, pageSchema, type Cursors } from './pages.js';
import { json, ok, principalOf, route, type Route } from './router.js';
import { DeliverySchema, PreviewSchema, RotatedSecretSchema, SubscriptionSchema, SubscriptionWithSecretSchema, TestFiredSchema } from './schemas.js';
import { visibleSubscription } from './visible-subscription.js';

export { publicSubscription } from '#domain/subscription.js';

const PREVIEW_DAYS = 7;
const PREVIEW_SAMPLES = 20;
/** Preview reads at most this many recent articles: a bounded cost, whatever the store holds. */
export const PREVIEW_SCAN_LIMIT = 2000;

const TAGS = ['subscriptions'];
const ID = '/subscriptions/{subscriptionId}';

/** Every URL a subscriber hands us for delivery passes the SSRF guard before it is stored. */
async function checkChannelUrls(deps: ApiDeps, input: SubscriptionInput | Subscription): Promise<void> {
  const channel = input.channel;
  if (channel.type === 'webhook') await checkUrl(deps, channel.url, 'channel.url');
  if (channel.type === 'slack') await checkUrl(deps, channel.webhookUrl, 'channel.webhookUrl');
}

/** The body of create and update answers: the subscription, plus a webhook secret only when it is new. */
function withNewSecret(subscription: Subscription, previous: Subscription | undefined): unknown {
  const shown = publicSubscription(subscription);
  const secret = subscription.channel.type === 'webhook' ? subscription.channel.secret : undefined;
  const before = previous?.channel.type === 'webhook' ? previous.channel.secret : undefined;
  return secret !== undefined && secret !== before ? { ...shown, channel: { ...shown.channel, secret } } : shown;
}

/** A synthetic article for test-fire: plainly a test, tied to no feed, never stored. */
function testArticle(id: string, now: Date): ClassifiedArticle {
  const at = now.toISOString();
  return {
    articleId: id,
    storyId: id,
    url: `https://newsalert.invalid/test/${id}`,
    title: 'newsalert test alert',
    summary: 'A test alert, sent because someone asked for one. It is about no real article.',
    publishedAt: at,
    fetchedAt: at,
    feedId: 'newsalert-test',
    sourceName: 'newsalert',
    language: 'en',
    classification: { language: 'en', topics: [], countries: [], classifierVersion: 'test' },
  };
}

const OWNER_QUERY = {
  owner: z.string().regex(OWNER_PATTERN, { error: 'must be an owner name' }).optional().meta({ description: "Admin keys only: just this owner's subscriptions" }),
};
const shown = (description: string) => ({ 200: ok(description, SubscriptionSchema) });
const withSecret = (status: 200 | 201, description: string) => ({ [status]: ok(description, SubscriptionWithSecretSchema) });

export function subscriptionRoutes(deps: ApiDeps, cursors: Cursors = createCursors()): Route[] {
  return [...definitionRoutes(deps, cursors), ...stateRoutes(deps), ...activityRoutes(deps, cursors)];
}

function newSecret(deps: ApiDeps): string {
  return generateWebhookSecret(deps.randomBytes);
}

async function save(deps: ApiDeps, subscription: Subscription): Promise<Subscription> {
  await deps.subscriptions.put(subscription);
  return subscription;
}

/** What a subscription asks for and where it delivers: list, create, read, replace, patch, delete. */
function definitionRoutes(deps: ApiDeps, cursors: Cursors): Route[] {
  return [
    route(
      'GET',
      '/subscriptions',
      async (req) => {
        const principal = principalOf(req);
        const owner = principal.scope === 'admin' ? req.query.owner : principal.owner;
        // The owner is part of the listing: an owner's cursor never continues anyone else's list.
        const subscriptions = listing(cursors, `subscriptions:${owner ?? ''}`);
        const page = await deps.subscriptions.listPage({ ...subscriptions.request(req.query), ...(owner !== undefined ? { owner } : {}) });
        return subscriptions.answer(req, 'subscriptions', page, publicSubscription);
      },
      {
        access: 'owner',
        tags: TAGS,
        summary: "List subscriptions (an owner key: its own; an admin key: all, or one owner's), a page at a time",
        query: pageQuery({ defaultLimit: 100, maxLimit: 500 }, OWNER_QUERY),
        responses: { 200: ok('A page of subscriptions', pageSchema('subscriptions', SubscriptionSchema)) },
      },
    ),
    route(
      'POST',
      '/subscriptions',
      async (req) => {
        const principal = principalOf(req);
        const input = parseSubscriptionInput(req.body());
        if (principal.scope === 'owner' && input.owner !== undefined && input.owner !== principal.owner) {
          throw new ValidationError('Invalid subscription: owner: an owner key creates subscriptions for its own owner', [
            { path: 'owner', message: `must be ${JSON.stringify(principal.owner)} or absent` },
          ]);
        }
        await checkChannelUrls(deps, input);
        const subscription = newSubscription(input, {
          id: 'sub_' + deps.newId(),
          now: deps.clock.now(),
          owner: principal.scope === 'owner' ? principal.owner : (input.owner ?? ADMIN_OWNER),
          secret: newSecret(deps),
        });
        return json(201, withNewSecret(await save(deps, subscription), undefined));
      },
      {
        access: 'owner',
        tags: TAGS,
        summary: 'Create a subscription; a webhook secret is returned once, here',
        body: subscriptionInputSchema,
        responses: withSecret(201, 'Created'),
      },
    ),
    route('GET', ID, async (req) => json(200, publicSubscription(await visibleSubscription(deps, req))), {
      access: 'owner',
      tags: TAGS,
      summary: 'Read a subscription (never its secret)',
      responses: shown('The subscription'),
    }),
    route(
      'PUT',
      ID,
      async (req) => {
        const existing = await visibleSubscription(deps, req);
        const input = parseSubscriptionInput(req.body());
        await checkChannelUrls(deps, input);
        const updated = replaceSubscription(existing, input, { now: deps.clock.now(), secret: newSecret(deps) });
        return json(200, withNewSecret(await save(deps, updated), existing));
      },
      {
        access: 'owner',
        tags: TAGS,
        summary: 'Replace what a subscription matches and where it delivers (its state and secret stay)',
        body: subscriptionInputSchema,
        responses: withSecret(200, 'Replaced'),
      },
    ),
    route(
      'PATCH',
      ID,
      async (req) => {
        const existing = await visibleSubscription(deps, req);
        const updated = patchSubscription(existing, req.body(), { now: deps.clock.now(), secret: newSecret(deps) });
        await checkChannelUrls(deps, updated);
        return json(200, withNewSecret(await save(deps, updated), existing));
      },
      {
        access: 'owner',
        tags: TAGS,
        summary: 'Change some fields (JSON merge patch: null removes an optional field); the result is validated whole',
        body: subscriptionInputSchema,
        partialBody: true,
        responses: withSecret(200, 'Changed'),
      },
    ),
    route(
      'DELETE',
      ID,
      async (req) => {
        await visibleSubscription(deps, req);
        if (!(await deps.subscriptions.delete(req.params.subscriptionId!))) throw new NotFoundError('subscription not found');
        return { statusCode: 204 };
      },
      { access: 'owner', tags: TAGS, summary: 'Delete a subscription', responses: { 204: { description: 'Deleted' } } },
    ),
  ];
}

/** Its state and its secret: pause, resume, snooze, rotate the webhook secret. */
function stateRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      'POST',
      `${ID}/pause`,
      async (req) => json(200, publicSubscription(await save(deps, pauseSubscription(await visibleSubscription(deps, req), deps.clock.now())))),
      { access: 'owner', tags: TAGS, summary: 'Pause: no alerts until resumed', responses: shown('Paused') },
    ),
    route(
      'POST',
      `${ID}/resume`,
      async (req) => json(200, publicSubscription(await save(deps, resumeSubscription(await visibleSubscription(deps, req), deps.clock.now())))),
      { access: 'owner', tags: TAGS, summary: 'Resume a paused, snoozed, failing or disabled subscription', responses: shown('Resumed') },
    ),
    route(
      'POST',
      `${ID}/snooze`,
      async (req) => {
        const existing = await visibleSubscription(deps, req);
        return json(200, publicSubscription(await save(deps, snoozeSubscription(existing, req.body(), deps.clock.now()))));
      },
      { access: 'owner', tags: TAGS, summary: 'No alerts until a time (within a year)', body: snoozeInputSchema, responses: shown('Snoozed') },
    ),
    route(
      'POST',
      `${ID}/rotate-secret`,
      async (req) => {
        const existing = await visibleSubscription(deps, req);
        const body = req.rawBody.trim() === '' ? {} : req.body();
        const secret = newSecret(deps);
        const { subscription, graceSeconds } = rotateWebhookSecret(existing, body, { now: deps.clock.now(), secret });
        await save(deps, subscription);
        const channel = subscription.channel as Extract<Subscription['channel'], { type: 'webhook' }>;
        return json(200, {
          subscriptionId: subscription.subscriptionId,
          secret,
          graceSeconds,
          ...(channel.previousSecretExpiresAt ? { previousSecretExpiresAt: channel.previousSecretExpiresAt } : {}),
        });
      },
      {
        access: 'owner',
        tags: TAGS,
        summary: 'New webhook secret, returned once; the old one keeps signing too until the grace period ends (default 24 h)',
        body: rotateSecretInputSchema,
        optionalBody: true,
        responses: { 200: ok('The new secret', RotatedSecretSchema) },
      },
    ),
  ];
}

/**
 * What a subscription (stored, or a draft being edited) would have sent over the last PREVIEW_DAYS days of stored
 * articles: the matches, one alert per story, and the messages that makes after digests, quiet hours and rate caps.
 */
async function previewOf(deps: ApiDeps, subscription: Subscription) {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - PREVIEW_DAYS * 86_400_000).toISOString();
  const recent = await deps.articles.listRecent({ limit: PREVIEW_SCAN_LIMIT });
  const inWindow = recent.filter((article) => article.publishedAt >= since);
  const matches: ClassifiedArticle[] = [];
  const samples: unknown[] = [];
  const sampledStories = new Set<string>();
  for (const article of inWindow) {
    // What it asks for, not whether it may receive now: a paused subscription previews like an active one.
    const reasons = matchSubscriptionContent(subscription, article);
    if (reasons === undefined) continue;
    matches.push(article);
    // One sample per story, as one alert goes per story.
    if (samples.length < PREVIEW_SAMPLES && !sampledStories.has(article.storyId)) {
      sampledStories.add(article.storyId);
      const { articleId, storyId, title, url, publishedAt, sourceName, language } = article;
      samples.push({ articleId, storyId, title, url, publishedAt, sourceName, language, reasons });
    }
  }
  return {
    days: PREVIEW_DAYS,
    since,
    scanned: inWindow.length,
    // The scan stopped at its cap while still inside the window: older articles were not looked at.
    truncated: recent.length === PREVIEW_SCAN_LIMIT && inWindow.length === recent.length,
    matched: matches.length,
    alerts: summariseAlerts(subscription, matches),
    samples,
  };
}

/** What it sends and would send: a test-fire, the delivery log, a preview on stored articles. */
function activityRoutes(deps: ApiDeps, cursors: Cursors): Route[] {
  return [
    route(
      'POST',
      `${ID}/test`,
      async (req) => {
        const subscription = await visibleSubscription(deps, req);
        if (subscription.status === 'paused' || subscription.status === 'disabled') {
          throw new ConflictError(`subscription is ${subscription.status}: resume it before a test`);
        }
        await takeActionSlot(deps, principalOf(req), 'test-fire');
        const now = deps.clock.now();
        // A fresh id per test: the deliverer's once-per-story guard must not swallow a second test.
        const articleId = `test_${deps.newId()}`;
        const deliveryId = deliveryIdFor(subscription.subscriptionId, articleId);
        const alert = buildAlert({ deliveryId, subscription, article: testArticle(articleId, now), reasons: { topics: [], countries: [], keywords: [] }, now });
        alert.unsubscribeUrl = deps.unsubscribeLinks.urlFor(subscription.subscriptionId);
        const message: DeliveryMessage = { deliveryId, subscriptionId: subscription.subscriptionId, deliveryKey: articleId, alert };
        await deps.deliveryQueue.send([{ body: message, id: deliveryId }]);
        return json(202, { deliveryId, articleId, queued: true });
      },
      {
        access: 'owner',
        tags: TAGS,
        summary: 'Send a synthetic alert (the test event) through the delivery queue, exactly as a real one goes',
        description: 'At most 30 a minute per owner; more answers 429 with Retry-After.',
        conflicts: true,
        rateLimited: true,
        responses: { 202: ok('Queued', TestFiredSchema) },
      },
    ),
    route(
      'GET',
      `${ID}/deliveries`,
      async (req) => {
        await visibleSubscription(deps, req);
        const subscriptionId = req.params.subscriptionId!;
        const deliveries = listing(cursors, `deliveries:${subscriptionId}`);
        return deliveries.answer(req, 'deliveries', await deps.deliveries.listBySubscription(subscriptionId, deliveries.request(req.query)));
      },
      {
        access: 'owner',
        tags: TAGS,
        summary: 'The delivery log, newest first, a page at a time',
        query: pageQuery({ defaultLimit: 50, maxLimit: 500 }),
        responses: { 200: ok('A page of deliveries', pageSchema('deliveries', DeliverySchema)) },
      },
    ),
    route('GET', `${ID}/preview`, async (req) => json(200, await previewOf(deps, await visibleSubscription(deps, req))), {
      access: 'owner',
      tags: TAGS,
      summary: `What it would have sent over the stored articles of the last ${PREVIEW_DAYS} days: matches, stories, messages`,
      responses: { 200: ok('What it would have matched and sent', PreviewSchema) },
    }),
    route(
      'POST',
      '/subscriptions/preview',
      async (req) => {
        const principal = principalOf(req);
        const body = req.body();
        // A draft delivers nowhere: its channel (perhaps half typed) is not asked for, nor checked.
        const draft = body !== null && typeof body === 'object' && !Array.isArray(body) ? { ...body, channel: { type: 'sns' } } : body;
        const input = parseSubscriptionInput(draft);
        const subscription = newSubscription(input, {
          id: 'sub_draft',
          now: deps.clock.now(),
          owner: principal.scope === 'owner' ? principal.owner : (input.owner ?? ADMIN_OWNER),
          secret: newSecret(deps),
        });
        return json(200, await previewOf(deps, subscription));
      },
      {
        access: 'owner',
        tags: TAGS,
        summary: `Preview a draft (a subscription body, not saved; its channel is ignored) over the last ${PREVIEW_DAYS} days`,
        body: subscriptionInputSchema,
        responses: { 200: ok('What the draft would have matched and sent', PreviewSchema) },
      },
    ),
  ];
}

