// The alert every channel carries, and its delivery id.
import { createHash } from 'node:crypto';
import type { AlertFailedRecord, AlertPayload, ClassifiedArticle, MatchReasons, Subscription } from './types.js';

export const ALERT_TYPE = 'alert.created';
export const ALERT_VERSION = '1';

export interface BuildAlertInput {
  deliveryId: string;
  subscription: Pick<Subscription, 'subscriptionId'>;
  article: ClassifiedArticle;
  reasons: MatchReasons;
  now: Date;
  /** The signed unsubscribe link of the subscription, when the runtime can sign one. */
  unsubscribeUrl?: string;
  /** story.updated for a story this subscription was already alerted about (opt-in). @default alert.created */
  type?: AlertPayload['type'];
}

/**
 * One id per (subscription, article), derived rather than random so a redelivered queue message, or the matcher
 * running twice over the same article, yields the same `webhook-id` and receivers can deduplicate.
 */
export function deliveryIdFor(subscriptionId: string, articleId: string): string {
  // A separator that cannot occur in either id keeps ("ab","c") and ("a","bc") apart.
  const digest = createHash('sha256').update(`${subscriptionId}\u0000${articleId}`).digest('base64url');
  // 132 bits: collisions are out of reach, and the id stays short enough for headers and logs.
  return `dlv_${digest.slice(0, 22)}`;
}

export function buildAlert(input: BuildAlertInput): AlertPayload {
  const { article, reasons } = input;
  const classification: AlertPayload['classification'] = {
    topics: article.classification.topics,
    countries: article.classification.countries,
    classifierVersion: article.classification.classifierVersion,
  };
  if (article.classification.sourceCountry !== undefined) classification.sourceCountry = article.classification.sourceCountry;
  const payload: AlertPayload = {
    type: input.type ?? ALERT_TYPE,
    version: ALERT_VERSION,
    id: input.deliveryId,
    timestamp: input.now.toISOString(),
    subscriptionId: input.subscription.subscriptionId,
    // Picked field by field so internal article fields (feedId, guid, fetchedAt...) never leak to subscribers.
    article: {
      articleId: article.articleId,
      storyId: article.storyId,
      url: article.url,
      title: article.title,
      summary: article.summary,
      publishedAt: article.publishedAt,
      sourceName: article.sourceName,
      language: article.language,
    },
    classification,
    reasons: {
      topics: reasons.topics.map((t) => ({ ...t })),
      countries: reasons.countries.map((c) => ({ ...c })),
      keywords: [...reasons.keywords],
    },
  };
  if (input.unsubscribeUrl !== undefined) payload.unsubscribeUrl = input.unsubscribeUrl;
  return payload;
}

/** The alert.failed event (functions/domain/event-schemas.ts): a failure record, with the id and version of an event. */
export type AlertFailedEvent = AlertFailedRecord & { version: typeof ALERT_VERSION; id: string; timestamp: string };

/**
 * The event that tells someone a delivery gave up. Its id is derived from the failure (delivery and time), so the
 * same failure announced twice carries the same `webhook-id` and a receiver keeps one.
 */
export function buildAlertFailedEvent(record: AlertFailedRecord, now: Date): AlertFailedEvent {
  const digest = createHash('sha256').update(`${record.deliveryId}\u0000${record.failedAt}`).digest('base64url');
  return { ...record, version: ALERT_VERSION, id: `evt_${digest.slice(0, 22)}`, timestamp: now.toISOString() };
}
