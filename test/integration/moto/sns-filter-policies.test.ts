// SNS over the wire: what the publishers send to the articles and alerts topics reaches SQS queues subscribed with
// real filter policies in moto, attributes and all. The alerts topic's policies are the ones the CDK construct
// (infra/constructs/alert-endpoints.ts) puts on its AWS::SNS::Subscription resources, applied as FilterPolicy
// attributes unchanged (read from the L1 resources: a full synth only adds time).
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertSender } from '#adapters/alert-senders/index.js';
import { SnsTopic, TopicArticleEventPublisher } from '#adapters/aws-messaging.js';
import { topicParentOf } from '#domain/topic-tree.js';
import type { AlertPayload, ArticleEvent, ClassifiedArticle, Subscription } from '#domain/types.js';
import { AlertEndpoints, parseAlertEndpoints } from '../../../infra/constructs/alert-endpoints.js';
import { motoSkipReason, startMoto, type MotoServer } from '../../helpers/moto.js';

const skip = motoSkipReason();
const POLITICS = 'medtop:11000000';
const DIPLOMACY = 'medtop:20000621';
const SPORT = 'medtop:15000000';

interface Story {
  id: string;
  countries: string[];
  topic: string;
  language: string;
}

function articleEvent(story: Story, type: ArticleEvent['type'] = 'article.created'): ArticleEvent {
  const now = new Date().toISOString();
  const article: ClassifiedArticle = {
    articleId: story.id,
    storyId: story.id,
    url: `https://news.example/${story.id}`,
    title: `Story ${story.id}`,
    summary: 'The details.',
    publishedAt: now,
    fetchedAt: now,
    feedId: 'feed-moto',
    sourceName: 'Moto News',
    language: story.language,
    classification: {
      language: story.language,
      topics: [{ code: story.topic, label: story.topic, score: 0.8, evidence: [] }],
      countries: story.countries.map((code) => ({ code, role: 'primary' as const, score: 0.9, evidence: [] })),
      classifierVersion: 'moto',
    },
  };
  return { type, version: '1', eventId: `${type}:${story.id}`, occurredAt: now, article };
}

function alertOf(story: Story, type: AlertPayload['type'] = 'alert.created'): AlertPayload {
  const { article } = articleEvent(story);
  return {
    type,
    version: '1',
    id: `dlv_${story.id}_${type}`,
    timestamp: new Date().toISOString(),
    subscriptionId: 'sub-sns',
    article,
    classification: { topics: article.classification.topics, countries: article.classification.countries, classifierVersion: 'moto' },
    reasons: { topics: [{ code: story.topic, score: 0.8 }], countries: [], keywords: [] },
  };
}

describe.skipIf(skip !== undefined)(`SNS filter policies against moto${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let moto: MotoServer;
  let snsClient: SNSClient;
  let sqsClient: SQSClient;

  beforeAll(async () => {
    moto = await startMoto();
    snsClient = new SNSClient(moto.clientConfig);
    sqsClient = new SQSClient(moto.clientConfig);
  });
  afterAll(async () => {
    snsClient?.destroy();
    sqsClient?.destroy();
    await moto?.stop();
  });

  const createTopic = async (name: string) => (await snsClient.send(new CreateTopicCommand({ Name: name }))).TopicArn!;

  /** A queue subscribed to the topic with raw message delivery and, when given, the filter policy. */
  async function subscribedQueue(topicArn: string, name: string, filterPolicy?: unknown): Promise<string> {
    const queueUrl = (await sqsClient.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const { Attributes } = await sqsClient.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await snsClient.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: Attributes!.QueueArn!,
        Attributes: { RawMessageDelivery: 'true', ...(filterPolicy === undefined ? {} : { FilterPolicy: JSON.stringify(filterPolicy) }) },
      }),
    );
    return queueUrl;
  }

  async function drain(queueUrl: string): Promise<Message[]> {
    const messages: Message[] = [];
    for (;;) {
      const { Messages = [] } = await sqsClient.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, MessageAttributeNames: ['All'] }),
      );
      if (Messages.length === 0) return messages;
      messages.push(...Messages);
    }
  }

  it('routes article events by their type, topics (with ancestors) and countries attributes', async () => {
    // Prepare
    const topicArn = await createTopic('articles');
    const all = await subscribedQueue(topicArn, 'articles-all');
    const france = await subscribedQueue(topicArn, 'articles-fr', { countries: ['FR'] });
    const politics = await subscribedQueue(topicArn, 'articles-politics', { topics: [POLITICS] });
    const updates = await subscribedQueue(topicArn, 'articles-updates', { type: ['article.updated'] });
    const publisher = new TopicArticleEventPublisher(new SnsTopic(snsClient, topicArn), topicParentOf);
    const paris: Story = { id: 'paris', countries: ['FR', 'DE'], topic: DIPLOMACY, language: 'fr' };
    const berlin: Story = { id: 'berlin', countries: ['DE'], topic: SPORT, language: 'de' };

    // Act
    await publisher.publish(articleEvent(paris));
    await publisher.publish(articleEvent(berlin));
    await publisher.publish(articleEvent(berlin, 'article.updated'));

    // Assess
    const eventIds = async (queueUrl: string) => (await drain(queueUrl)).map((m) => (JSON.parse(m.Body ?? '{}') as ArticleEvent).eventId).sort();
    expect(await eventIds(all)).toEqual(['article.created:berlin', 'article.created:paris', 'article.updated:berlin']);
    expect(await eventIds(france)).toEqual(['article.created:paris']);
    // Classified under diplomacy only: its parent, politics, travels in the attribute.
    expect(await eventIds(politics)).toEqual(['article.created:paris']);
    expect(await eventIds(updates)).toEqual(['article.updated:berlin']);
  });

  it('delivers alerts to the endpoints whose filter policies, as the CDK construct writes them, match', async () => {
    // Prepare: the construct's subscriptions, endpoint and filter policy as they go into the template.
    const stack = new Stack(new App(), 'MotoEndpoints');
    const endpoints = parseAlertEndpoints([
      { protocol: 'email', endpoint: 'france-desk@example.com', countries: ['FR'], topics: [POLITICS] },
      { protocol: 'sms', endpoint: '+15555550100', countries: ['UA', 'RU'], types: ['alert.created'] },
      { protocol: 'https', endpoint: 'https://hooks.example.com/newsalert', languages: ['de'] },
      { protocol: 'email-json', endpoint: 'archive@example.com' },
    ]);
    const construct = new AlertEndpoints(stack, 'AlertEndpoints', { topic: new sns.Topic(stack, 'Alerts'), endpoints });
    const subscriptions = construct.node
      .findAll()
      .filter((child): child is sns.CfnSubscription => child instanceof sns.CfnSubscription)
      .map((resource) => ({ endpoint: resource.endpoint!, filterPolicy: stack.resolve(resource.filterPolicy) as unknown }));
    const topicArn = await createTopic('alerts');
    const queues = new Map<string, string>();
    for (const [i, { endpoint, filterPolicy }] of subscriptions.entries()) {
      queues.set(endpoint, await subscribedQueue(topicArn, `endpoint-${i}`, filterPolicy));
    }
    const sender = createAlertSender({ sqs: sqsClient, sns: snsClient, alertsTopicArn: topicArn, policy: { allowLoopback: false }, now: () => new Date() });
    const subscription: Subscription = {
      subscriptionId: 'sub-sns',
      owner: 'moto',
      topics: [],
      countries: [],
      keywords: [],
      channel: { type: 'sns' },
      status: 'active',
      createdAt: new Date().toISOString(),
    };
    const alerts = [
      alertOf({ id: 'paris', countries: ['FR'], topic: DIPLOMACY, language: 'fr' }),
      alertOf({ id: 'kyiv', countries: ['UA'], topic: POLITICS, language: 'en' }),
      alertOf({ id: 'moscow', countries: ['RU'], topic: POLITICS, language: 'en' }, 'story.updated'),
      alertOf({ id: 'munich', countries: ['DE'], topic: SPORT, language: 'de' }),
    ];

    // Act
    for (const alert of alerts) await sender.send(subscription, alert);

    // Assess
    expect(subscriptions).toHaveLength(4);
    expect(subscriptions.filter((s) => s.filterPolicy !== undefined)).toHaveLength(3);
    const received = async (endpoint: string) => (await drain(queues.get(endpoint)!)).map((m) => (JSON.parse(m.Body ?? '{}') as AlertPayload).id).sort();
    expect(await received('france-desk@example.com')).toEqual(['dlv_paris_alert.created']);
    expect(await received('+15555550100')).toEqual(['dlv_kyiv_alert.created']);
    expect(await received('https://hooks.example.com/newsalert')).toEqual(['dlv_munich_alert.created']);
    expect(await received('archive@example.com')).toEqual(alerts.map((a) => a.id).sort());
  });

  it('hands the alert attributes on with the message, for readers that filter or route on them', async () => {
    // Prepare
    const topicArn = await createTopic('alerts-attributes');
    const queueUrl = await subscribedQueue(topicArn, 'attributes-all');
    const sender = createAlertSender({ sqs: sqsClient, sns: snsClient, alertsTopicArn: topicArn, policy: { allowLoopback: false }, now: () => new Date() });
    const subscription = { subscriptionId: 'sub-sns', channel: { type: 'sns' } } as Subscription;

    // Act
    await sender.send(subscription, alertOf({ id: 'geneva', countries: ['CH', 'FR'], topic: DIPLOMACY, language: 'fr' }));

    // Assess
    const [message] = await drain(queueUrl);
    const attributes = Object.fromEntries(Object.entries(message?.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]));
    expect(attributes).toMatchObject({ type: 'alert.created', subscriptionId: 'sub-sns', language: 'fr' });
    expect(JSON.parse(attributes.topic ?? '[]')).toEqual([POLITICS, DIPLOMACY]);
    expect(JSON.parse(attributes.country ?? '[]')).toEqual(['CH', 'FR']);
  });
});
