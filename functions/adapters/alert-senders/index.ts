// The AlertSender over every channel. Each channel is one file in this folder (a factory and the deps it needs) and
// one line in CHANNELS below. Adding a kind to the Channel union in #domain/types.ts makes CHANNELS fail to compile
// until its line is there, and AlertSenderDeps grows by the new factory's deps on its own.
import { DeliveryError } from '#domain/errors.js';
import type { AlertSender } from '#domain/ports.js';
import type { ChannelOf, ChannelSender, ChannelType } from './channel.js';
import type { HttpPostDeps } from './http-post.js';
import { createSlackChannel } from './slack.js';
import { createSnsChannel } from './sns.js';
import { createSqsChannel } from './sqs.js';
import { createWebhookChannel } from './webhook.js';

const CHANNELS = {
  webhook: createWebhookChannel,
  sqs: createSqsChannel,
  sns: createSnsChannel,
  slack: createSlackChannel,
} satisfies { [T in ChannelType]: (deps: never) => ChannelSender<T> };

type Factories = typeof CHANNELS;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** What the channels need together: the deps of every factory in CHANNELS. */
export type AlertSenderDeps = UnionToIntersection<Parameters<Factories[ChannelType]>[0]>;

type Senders = { [T in ChannelType]?: ChannelSender<T> };

/** The sender for every channel in CHANNELS (the Lambda deliverer's). */
export function createAlertSender(deps: AlertSenderDeps): AlertSender {
  const senders: Senders = {};
  for (const type of Object.keys(CHANNELS) as ChannelType[]) {
    const create = CHANNELS[type] as (deps: AlertSenderDeps) => ChannelSender<typeof type>;
    Object.assign(senders, { [type]: create(deps) });
  }
  return dispatchByChannel(senders);
}

/**
 * The HTTP channels only (signed webhooks and Slack incoming webhooks): for runtimes (the local one) that carry the
 * sqs and sns channels themselves. Any other channel is refused as a permanent failure.
 */
export function createWebhookSender(deps: HttpPostDeps): AlertSender {
  return dispatchByChannel({ webhook: createWebhookChannel(deps), slack: createSlackChannel(deps) });
}

function dispatchByChannel(senders: Senders): AlertSender {
  const senderFor = <T extends ChannelType>(channel: ChannelOf<T>): ChannelSender<T> | undefined =>
    senders[channel.type];
  return {
    async send(subscription, alert, options) {
      const channel = subscription.channel;
      const sender = senderFor(channel);
      if (sender === undefined) throw new DeliveryError(`this sender cannot deliver on the ${channel.type} channel`, true);
      return sender.send(channel, alert, options);
    },
  };
}
