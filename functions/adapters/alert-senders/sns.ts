// The sns channel: the alert published to the ONE shared alerts topic, with the attributes SNS-native endpoints
// (email, SMS, HTTPS) filter on. The deliverer makes sure each story is published once, whichever sns
// subscriptions matched it (functions/handlers/deliverer.ts).
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import { DeliveryError } from '#domain/errors.js';
import type { OutboundAlert } from '#domain/types.js';
import { topicCodesWithAncestors, topicParentOf } from '#domain/topic-tree.js';
import type { TopicParentLookup } from '#domain/topic-tree.js';
import { stringArrayAttribute } from '#adapters/aws-messaging.js';
import type { StringMessageAttribute } from '#adapters/aws-messaging.js';
import { composeSnsAlertMessage } from '#adapters/sns-alert-messages.js';
import type { AlertsTopicMessageFormat } from '#adapters/sns-alert-messages.js';
import { deliveryErrorFromAws } from './channel.js';
import type { ChannelSender } from './channel.js';

export interface SnsChannelDeps {
  sns: SNSClient;
  /** Required only for subscriptions on the sns channel. */
  alertsTopicArn?: string;
  /** How alerts are written on the alerts topic (see sns-alert-messages.ts). @default "json" */
  alertsTopicMessages?: AlertsTopicMessageFormat;
}

// The alerts topic is ours: a missing topic or permission is a deployment fault that a redrive fixes, so only a
// message SNS rejects as such is permanent.
const PERMANENT_SNS_ERRORS = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'InvalidParameter']);

export function createSnsChannel(deps: SnsChannelDeps): ChannelSender<'sns'> {
  const format = deps.alertsTopicMessages ?? 'json';
  return {
    async send(_channel, alert) {
      const topicArn = deps.alertsTopicArn;
      if (topicArn === undefined || topicArn === '') {
        throw new DeliveryError('sns channel used but no alerts topic is configured (alertsTopicArn)', false);
      }
      const attributes = alertAttributes(alert);
      try {
        await deps.sns.send(new PublishCommand({ TopicArn: topicArn, ...composeSnsAlertMessage(alert, attributes, format), MessageAttributes: attributes }));
      } catch (error: unknown) {
        throw deliveryErrorFromAws(error, 'sns', PERMANENT_SNS_ERRORS);
      }
    },
  };
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
