// The AlertSender for every channel: signed webhooks over HTTP(S), a subscriber's SQS queue, the alerts SNS topic.
import http from 'node:http';
import https from 'node:https';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import { DeliveryError, FeedError, ValidationError } from '#domain/errors.js';
import type { AlertSender } from '#domain/ports.js';
import type { AlertPayload, Subscription } from '#domain/types.js';
import { signWebhook } from '#domain/webhook-signature.js';
import { assertUrlAllowed, guardedLookup } from '#adapters/http/ssrf.js';
import type { AddressPolicy } from '#adapters/http/ssrf.js';
import { stringArrayAttribute } from '#adapters/aws-messaging.js';
import type { StringMessageAttribute } from '#adapters/aws-messaging.js';

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
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_USER_AGENT = 'newsalert-webhooks/1';
/** Receivers owe us a status, not a body: read a little for the error message, never buffer more than this. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const ERROR_SNIPPET_CHARS = 200;

export function createAlertSender(deps: AlertSenderDeps): AlertSender {
  const webhook = createWebhookSender(deps);
  return {
    async send(subscription: Subscription, alert: AlertPayload): Promise<void> {
      const channel = subscription.channel;
      switch (channel.type) {
        case 'webhook':
          return webhook.send(subscription, alert);
        case 'sqs':
          return sendToQueue(deps.sqs, channel.queueUrl, alert);
        case 'sns':
          return publishToTopic(deps.sns, deps.alertsTopicArn, alert);
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
  snippet: string;
}

/** Webhook channel only: for runtimes (the local one) that carry the sqs and sns channels themselves. */
export function createWebhookSender(deps: WebhookSenderDeps): AlertSender {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const userAgent = deps.userAgent ?? DEFAULT_USER_AGENT;
  const lookup = guardedLookup(deps.policy);
  // Kept alive across invocations of a warm Lambda: repeat deliveries to one receiver skip the TCP and TLS setup.
  // Pooled sockets were connected through the guarded lookup, so reusing them cannot bypass the address check.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  const post = async (channel: { url: string; secret: string }, alert: AlertPayload): Promise<void> => {
    // Hosts written as IP literals never reach `lookup`, so the URL is checked up front as well.
    const url = await checkWebhookUrl(channel.url, deps.policy);
    const body = JSON.stringify(alert);
    let signature: Record<string, string>;
    try {
      signature = signWebhook(channel.secret, { id: alert.id, timestamp: deps.now(), body });
    } catch (error: unknown) {
      if (error instanceof ValidationError) throw new DeliveryError(`webhook secret unusable: ${error.message}`, true, { cause: error });
      throw error;
    }
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
    checkWebhookStatus(response);
  };

  return {
    async send(subscription: Subscription, alert: AlertPayload): Promise<void> {
      if (subscription.channel.type !== 'webhook') {
        throw new DeliveryError(`webhook sender cannot deliver on the ${subscription.channel.type} channel`, true);
      }
      return post(subscription.channel, alert);
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

function checkWebhookStatus(response: WebhookResponse): void {
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
  throw new DeliveryError(`webhook http-${status}${suffix}`, !retryable, { httpStatus: status });
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

async function sendToQueue(sqs: SQSClient, queueUrl: string, alert: AlertPayload): Promise<void> {
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
 * The attributes of an alert on the alerts topic, so each consumer subscribes with a filter policy on its own
 * `subscriptionId` (or on `topic`, `country`, `language`). Shared with the local bus.
 */
export function alertAttributes(alert: AlertPayload): Record<string, StringMessageAttribute> {
  const attributes: Record<string, StringMessageAttribute> = {
    type: { DataType: 'String', StringValue: alert.type },
    subscriptionId: { DataType: 'String', StringValue: alert.subscriptionId },
    // SNS rejects empty attribute values.
    language: { DataType: 'String', StringValue: alert.article.language || 'und' },
  };
  const topic = stringArrayAttribute(alert.classification.topics.map((t) => t.code));
  if (topic) attributes.topic = topic;
  const country = stringArrayAttribute(alert.classification.countries.map((c) => c.code));
  if (country) attributes.country = country;
  return attributes;
}

async function publishToTopic(sns: SNSClient, topicArn: string | undefined, alert: AlertPayload): Promise<void> {
  if (topicArn === undefined || topicArn === '') {
    throw new DeliveryError('sns channel used but no alerts topic is configured (alertsTopicArn)', false);
  }
  try {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(alert), MessageAttributes: alertAttributes(alert) }));
  } catch (error: unknown) {
    throw translateAwsError(error, 'sns', PERMANENT_SNS_ERRORS);
  }
}
