// The deliverer's alert channels in the local runtime: webhooks and Slack go out over real HTTP; the sqs and sns
// channels land in in-process queues and the local alerts topic, standing for the subscriber's queue and SNS.
import { createHash } from 'node:crypto';
import { alertAttributes } from '#adapters/alert-senders/sns.js';
import type { AlertSender } from '#domain/ports.js';
import type { Subscription } from '#domain/types.js';
import type { InProcessBus, LocalTopic } from './bus.js';

export function createLocalAlertSender(
  webhook: AlertSender,
  bus: InProcessBus,
  alertsTopic: LocalTopic,
  options: { maxReceiveCount: number; say: (line: string) => void },
): AlertSender {
  return {
    async send(subscription: Subscription, alert, sendOptions) {
      const channel = subscription.channel;
      if (channel.type === 'webhook' || channel.type === 'slack') return webhook.send(subscription, alert, sendOptions);
      if (channel.type === 'sqs') {
        const name = `subscriber-${createHash('sha256').update(channel.queueUrl).digest('hex').slice(0, 12)}`;
        const queue = bus.listQueues().some((q) => q.name === name)
          ? bus.queue<unknown>(name)
          : bus.createQueue<unknown>(name, { visibilityTimeoutSeconds: 30, maxReceiveCount: options.maxReceiveCount });
        await queue.sendRaw(JSON.stringify(alert));
        options.say(`alert ${alert.id} -> local stand-in for SQS ${channel.queueUrl}`);
        return;
      }
      await alertsTopic.publish(JSON.stringify(alert), alertAttributes(alert));
      options.say(`alert ${alert.id} -> local alerts topic`);
    },
  };
}
