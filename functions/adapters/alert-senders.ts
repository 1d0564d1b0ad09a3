// The AlertSender for every channel: signed webhooks over HTTP(S), a subscriber's SQS queue, the alerts SNS topic,
// a Slack incoming webhook.
import http from 'node:http';
import https from 'node:https';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import { DeliveryError, FeedError, ValidationError } from '#domain/errors.js';
import type { AlertSender } from '#domain/ports.js';
import { parseRetryAfter } from '#domain/retry-schedule.js';
import type { AlertPayload, OutboundAlert, Subscription, TopicCode } from '#domain/types.js';
import { topicParentOf, topicWithAncestors } from '#domain/topic-tree.js';
import type { TopicParentLookup } from '#domain/topic-tree.js';
import { signingSecrets, signWebhook } from '#domain/webhook-signature.js';
import { assertUrlAllowed, guardedLookup } from '#adapters/http/ssrf.js';
import type { AddressPolicy } from '#adapters/http/ssrf.js';
import { stringArrayAttribute } from '#adapters/aws-messaging.js';
import type { StringMessageAttribute } from '#adapters/aws-messaging.js';
import { composeSnsAlertMessage, reasonsLine } from '#adapters/sns-alert-messages.js';
import type { AlertsTopicMessageFormat } from '#adapters/sns-alert-messages.js';

export interface WebhookSenderDeps {
  policy: AddressPolicy;
  /** Whole-request deadline for a webhook: connect, send, response headers and body. @default 15000 */
  timeoutMs?: number;
  /** @default "newsalert-webhooks/1" */
  userAgent?: string;
  now: () => Date;
}

export interface AlertSenderDeps extends WebhookSenderDeps {
  sqs: SQSClient;
  sns: SNSClient;
  /** Required only for subscriptions on the sns channel. */
  alertsTopicArn?: string;
  /** How alerts are written on the alerts topic (see sns-alert-messages.ts). @default "json" */
  alertsTopicMessages?: AlertsTopicMessageFormat;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_USER_AGENT = 'newsalert-webhooks/1';
/** Receivers owe us a status, not a body: read a little for the error message, never buffer more than this. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const ERROR_SNIPPET_CHARS = 200;

export function createAlertSender(deps: AlertSenderDeps): AlertSender {
  const webhook = createWebhookSender(deps);
  return {
    async send(subscription: Subscription, alert: OutboundAlert): Promise<void> {
      const channel = subscription.channel;
      switch (channel.type) {
        case 'webhook':
        case 'slack':
          return webhook.send(subscription, alert);
        case 'sqs':
          return sendToQueue(deps.sqs, channel.queueUrl, alert);
        case 'sns':
          return publishToTopic(deps.sns, deps.alertsTopicArn, alert, deps.alertsTopicMessages ?? 'json');
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Webhook

class WebhookTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
    this.name = 'WebhookTimeoutError';
  }
}

interface WebhookResponse {
  status: number;
  location?: string;
  retryAfter?: string;
  snippet: string;
}

/**
 * The HTTP channels (signed webhooks and Slack incoming webhooks): for runtimes (the local one) that carry the sqs and
 * sns channels themselves.
 */
export function createWebhookSender(deps: WebhookSenderDeps): AlertSender {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const userAgent = deps.userAgent ?? DEFAULT_USER_AGENT;
  const lookup = guardedLookup(deps.policy);
  // Kept alive across invocations of a warm Lambda: repeat deliveries to one receiver skip the TCP and TLS setup.
  // Pooled sockets were connected through the guarded lookup, so reusing them cannot bypass the address check.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  const post = async (rawUrl: string, body: string, signature: Record<string, string>): Promise<void> => {
    // Hosts written as IP literals never reach `lookup`, so the URL is checked up front as well.
    const url = await checkWebhookUrl(rawUrl, deps.policy);
    const headers: http.OutgoingHttpHeaders = {
      ...signature,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'user-agent': userAgent,
    };

    let response: WebhookResponse;
    try {
      response = await postOnce(url, body, headers, { lookup, agent: url.protocol === 'https:' ? agents.https : agents.http, timeoutMs });
    } catch (error: unknown) {
      throw translateRequestError(error, url);
    }
    checkWebhookStatus(response, deps.now());
  };

  return {
    async send(subscription: Subscription, alert: OutboundAlert): Promise<void> {
      const channel = subscription.channel;
      if (channel.type === 'slack') return post(channel.webhookUrl, JSON.stringify(slackMessageFor(alert)), {});
      if (channel.type !== 'webhook') {
        throw new DeliveryError(`webhook sender cannot deliver on the ${channel.type} channel`, true);
      }
      const body = JSON.stringify(alert);
      let signature: Record<string, string>;
      try {
        const now = deps.now();
        signature = signWebhook(signingSecrets(channel, now), { id: alert.id, timestamp: now, body });
      } catch (error: unknown) {
        if (error instanceof ValidationError) throw new DeliveryError(`webhook secret unusable: ${error.message}`, true, { cause: error });
        throw error;
      }
      return post(channel.url, body, signature);
    },
  };
}

async function checkWebhookUrl(rawUrl: string, policy: AddressPolicy): Promise<URL> {
  try {
    return await assertUrlAllowed(rawUrl, policy);
  } catch (error: unknown) {
    if (error instanceof FeedError) {
      // A name that does not resolve today may resolve tomorrow; an address or URL that is not allowed never will.
      const permanent = error.reason === 'blocked-address' || error.reason === 'invalid-url';
      throw new DeliveryError(`webhook ${error.reason}: ${error.message}`, permanent, { cause: error });
    }
    throw error;
  }
}

function postOnce(
  url: URL,
  body: string,
  headers: http.OutgoingHttpHeaders,
  options: { lookup: ReturnType<typeof guardedLookup>; agent: http.Agent; timeoutMs: number },
): Promise<WebhookResponse> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<WebhookResponse>((resolve, reject) => {
    let settled = false;
    let response: WebhookResponse | undefined;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };

    const request = transport.request(url, { method: 'POST', headers, lookup: options.lookup, agent: options.agent }, (res) => {
      const current: WebhookResponse = { status: res.statusCode ?? 0, snippet: '' };
      if (typeof res.headers.location === 'string') current.location = res.headers.location;
      if (typeof res.headers['retry-after'] === 'string') current.retryAfter = res.headers['retry-after'];
      response = current;
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        if (current.snippet.length < ERROR_SNIPPET_CHARS) current.snippet += chunk.toString('utf8').slice(0, ERROR_SNIPPET_CHARS);
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) {
          settle(() => resolve(current));
          res.destroy();
        }
      });
      res.on('end', () => settle(() => resolve(current)));
      // The status line is the receiver's answer; a body cut short afterwards does not change it.
      res.on('error', () => settle(() => resolve(current)));
    });

    const timer = setTimeout(() => {
      // A 2xx whose body is still trickling in has been accepted: do not send it again.
      if (response !== undefined && response.status >= 200 && response.status < 300) {
        const accepted = response;
        settle(() => resolve(accepted));
      } else {
        settle(() => reject(new WebhookTimeoutError(options.timeoutMs)));
      }
      request.destroy();
    }, options.timeoutMs);

    request.on('error', (error) => settle(() => reject(error)));
    request.end(body);
  });
}

function translateRequestError(error: unknown, url: URL): DeliveryError {
  if (error instanceof WebhookTimeoutError) {
    return new DeliveryError(`webhook timeout: ${url.host} sent ${error.message}`, false, { cause: error });
  }
  if (error instanceof FeedError && error.reason === 'blocked-address') {
    return new DeliveryError(`webhook blocked-address: ${error.message}`, true, { cause: error });
  }
  if (error instanceof FeedError) {
    return new DeliveryError(`webhook ${error.reason}: ${error.message}`, false, { cause: error });
  }
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : error.name;
    // Refused, reset, unresolvable, TLS trouble: all can be fixed on the receiver's side without a new subscription.
    return new DeliveryError(`webhook connection-error (${code}) to ${url.host}: ${error.message}`, false, { cause: error });
  }
  return new DeliveryError(`webhook connection-error to ${url.host}`, false, { cause: error });
}

function checkWebhookStatus(response: WebhookResponse, now: Date): void {
  const { status } = response;
  if (status >= 200 && status < 300) return;
  const detail = response.snippet.replace(/\s+/g, ' ').trim().slice(0, ERROR_SNIPPET_CHARS);
  const suffix = detail === '' ? '' : `: ${detail}`;
  if (status >= 300 && status < 400) {
    // Following a redirect would let a receiver point us anywhere after the address check; it must fix its URL.
    const target = response.location === undefined ? '' : ` to ${response.location}`;
    throw new DeliveryError(`webhook http-${status}: redirect${target} not followed`, true, { httpStatus: status });
  }
  const retryable = status >= 500 || status === 408 || status === 429;
  const retryAfterSeconds = status === 429 || status === 503 ? parseRetryAfter(response.retryAfter, now) : undefined;
  throw new DeliveryError(`webhook http-${status}${suffix}`, !retryable, {
    httpStatus: status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// SQS and SNS

// Errors that mean the destination or the message is wrong, not that the service is busy.
const PERMANENT_SQS_ERRORS = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'AccessDenied',
  'AccessDeniedException',
  'InvalidAddress',
  'InvalidParameterValue',
  'InvalidMessageContents',
  'InvalidSecurity',
  'KmsAccessDenied',
  'KmsDisabled',
  'KmsInvalidKeyUsage',
  'KmsInvalidState',
  'KmsNotFound',
  'UnsupportedOperation',
]);

// The alerts topic is ours: a missing topic or permission is a deployment fault that a redrive fixes, so only a
// message SNS rejects as such is permanent.
const PERMANENT_SNS_ERRORS = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'InvalidParameter']);

function translateAwsError(error: unknown, channel: string, permanentNames: ReadonlySet<string>): unknown {
  if (!(error instanceof Error)) return error;
  const permanent = permanentNames.has(error.name);
  return new DeliveryError(`${channel} ${error.name}: ${error.message}`, permanent, { cause: error });
}

async function sendToQueue(sqs: SQSClient, queueUrl: string, alert: OutboundAlert): Promise<void> {
  try {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(alert),
        MessageAttributes: { type: { DataType: 'String', StringValue: alert.type } },
      }),
    );
  } catch (error: unknown) {
    throw translateAwsError(error, 'sqs', PERMANENT_SQS_ERRORS);
  }
}

/**
 * Topic codes with all their ancestors, broadest first. Our subscriptions treat a parent as matching its children;
 * carrying the ancestors makes a filter policy on a parent (politics) match an article classified only under a child
 * (diplomacy) the same way. Broadest first because stringArrayAttribute keeps the first codes when a large digest
 * outgrows the attribute's cap: a policy naming a broad code matches whatever lies below it, one naming a leaf only that.
 */
function topicCodesWithAncestors(codes: readonly TopicCode[], parentOf: TopicParentLookup): TopicCode[] {
  const depthOf = new Map<TopicCode, number>();
  for (const code of codes) {
    const lineage = topicWithAncestors(code, parentOf);
    lineage.forEach((ancestor, index) => {
      if (!depthOf.has(ancestor)) depthOf.set(ancestor, lineage.length - index);
    });
  }
  // Array.prototype.sort is stable: codes of one depth keep the order they were met in.
  return [...depthOf].sort((a, b) => a[1] - b[1]).map(([code]) => code);
}

/**
 * The attributes of an alert on the alerts topic. SNS-native endpoints (email, SMS, HTTPS) filter on `topic`,
 * `country` and `language` (String.Array: a filter value matches any element), so a handful of filter policies serve
 * any number of subscribers; the default quota is 200 filter policies per topic, so one policy per subscriber
 * (on `subscriptionId`, which is there for tracing) would not scale. A digest carries the union over its stories.
 * `topic` carries each code's ancestors (`parentOf`, by default the IPTC tree), so a policy on a parent topic matches.
 * Shared with the local bus.
 */
export function alertAttributes(alert: OutboundAlert, parentOf: TopicParentLookup = topicParentOf): Record<string, StringMessageAttribute> {
  const attributes: Record<string, StringMessageAttribute> = {
    type: { DataType: 'String', StringValue: alert.type },
    subscriptionId: { DataType: 'String', StringValue: alert.subscriptionId },
  };
  const entries = alert.type === 'digest.created' ? alert.stories.flatMap((story) => story.alerts) : [alert];
  // SNS rejects empty attribute values. One alert has one language (String); a digest may have several (String.Array):
  // a filter policy `{"language": ["en"]}` matches both.
  const languages = [...new Set(entries.map((entry) => entry.article.language || 'und'))];
  const language = languages.length === 1 ? { DataType: 'String' as const, StringValue: languages[0]! } : stringArrayAttribute(languages);
  if (language) attributes.language = language;
  const topics = alert.type === 'digest.created' ? entries.flatMap((e) => e.reasons.topics.map((t) => t.code)) : alert.classification.topics.map((t) => t.code);
  const countries =
    alert.type === 'digest.created' ? entries.flatMap((e) => e.reasons.countries.map((c) => c.code)) : alert.classification.countries.map((c) => c.code);
  const topic = stringArrayAttribute(topicCodesWithAncestors(topics, parentOf));
  if (topic) attributes.topic = topic;
  const country = stringArrayAttribute(countries);
  if (country) attributes.country = country;
  return attributes;
}

// ---------------------------------------------------------------------------------------------------------------
// Slack

const SLACK_TEXT_LIMIT = 3000;
const SLACK_HEADER_LIMIT = 150;
/** Slack allows 50 blocks a message; a digest lists at most this many stories and says how many more there were. */
const SLACK_MAX_STORIES = 15;

type SlackBlock = Record<string, unknown>;

function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function storyBlocks(entry: Pick<AlertPayload, 'article' | 'reasons'>): SlackBlock[] {
  const { article } = entry;
  const link = `*<${article.url}|${slackEscape(clip(article.title, 200))}>*`;
  return [
    { type: 'section', text: { type: 'mrkdwn', text: clip(`${link}\n${slackEscape(article.summary)}`, SLACK_TEXT_LIMIT) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: clip(`${slackEscape(article.sourceName)} · ${slackEscape(reasonsLine(entry.reasons))}`, SLACK_TEXT_LIMIT) }] },
  ];
}

/** A Block Kit message: a header, the story as a section (title link and summary), and why it matched as context. */
export function slackMessageFor(alert: OutboundAlert): { text: string; blocks: SlackBlock[] } {
  const footer: SlackBlock[] = alert.unsubscribeUrl === undefined ? [] : [{ type: 'context', elements: [{ type: 'mrkdwn', text: `<${alert.unsubscribeUrl}|Unsubscribe>` }] }];
  if (alert.type !== 'digest.created') {
    const header = alert.type === 'story.updated' ? `Updated: ${alert.article.title}` : alert.article.title;
    return {
      text: alert.article.title,
      blocks: [{ type: 'header', text: { type: 'plain_text', text: clip(header, SLACK_HEADER_LIMIT) } }, ...storyBlocks(alert), ...footer],
    };
  }
  const count = alert.stories.length;
  const shown = alert.stories.slice(0, SLACK_MAX_STORIES);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: `${count} ${count === 1 ? 'story' : 'stories'} for you` } }];
  for (const story of shown) {
    const first = story.alerts[0];
    if (first === undefined) continue;
    blocks.push({ type: 'divider' }, ...storyBlocks(first));
  }
  if (count > shown.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${count - shown.length} more` }] });
  return { text: `${count} ${count === 1 ? 'story' : 'stories'} for you`, blocks: [...blocks, ...footer] };
}

async function publishToTopic(sns: SNSClient, topicArn: string | undefined, alert: OutboundAlert, format: AlertsTopicMessageFormat): Promise<void> {
  if (topicArn === undefined || topicArn === '') {
    throw new DeliveryError('sns channel used but no alerts topic is configured (alertsTopicArn)', false);
  }
  const attributes = alertAttributes(alert);
  try {
    await sns.send(new PublishCommand({ TopicArn: topicArn, ...composeSnsAlertMessage(alert, attributes, format), MessageAttributes: attributes }));
  } catch (error: unknown) {
    throw translateAwsError(error, 'sns', PERMANENT_SNS_ERRORS);
  }
}
