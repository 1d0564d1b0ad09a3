// Lambda entry: wiring only. What the deliverer is given is functions/compose/deliverer.ts, shared with the local
// runtime; only its alert channels are AWS's own here (SQS and SNS clients).
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createAlertSender } from '#adapters/alert-senders/index.js';
import { awsFunction } from '#compose/aws.js';
import { composeDeliverer } from '#compose/deliverer.js';
import { FUNCTION_RESOURCES } from '#compose/resources.js';
import { createDelivererHandler } from '#handlers/deliverer.js';

// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const aws = await awsFunction('deliverer', FUNCTION_RESOURCES.deliverer, { sqs: () => new SQSClient({}), sns: () => new SNSClient({}) });

export const handler = createDelivererHandler(
  composeDeliverer(aws.platform, aws.observability, {
    alertSender: createAlertSender({
      // Subscriber webhooks are on the public internet: private and loopback addresses are refused.
      policy: aws.platform.addressPolicy,
      sqs: aws.sqs(),
      sns: aws.sns(),
      alertsTopicArn: aws.variable('ALERTS_TOPIC_ARN'),
      ...(aws.env.ALERTS_TOPIC_MESSAGES ? { alertsTopicMessages: aws.env.ALERTS_TOPIC_MESSAGES } : {}),
      now: () => new Date(),
    }),
  }),
);
