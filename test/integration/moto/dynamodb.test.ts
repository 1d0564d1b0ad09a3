// The DynamoDB adapters over the wire against moto, a second implementation of the protocol beside dynalite: the
// tables of tables.ts with their TTL, the conditional writes the repositories rely on for exactly-once delivery,
// the TTL attributes they write, and the scheduler Lambda's Powertools idempotency records.
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { ensureTables, localTableNames } from '#adapters/dynamo/local-dynamo.js';
import { TABLE_SPECS } from '#adapters/dynamo/tables.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { NotFoundError } from '#domain/errors.js';
import { createLambdaContext } from '#local/bus.js';
import { motoSkipReason, startMoto, type MotoServer } from '../../helpers/moto.js';
import { buildArticle, buildFeed, buildSubscription } from '../dynamo/fixtures.js';

const skip = motoSkipReason();
const names = localTableNames('moto');

describe.skipIf(skip !== undefined)(`DynamoDB adapters against moto${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let moto: MotoServer;
  let client: DynamoDBClient;
  let doc: DynamoDBDocumentClient;

  beforeAll(async () => {
    moto = await startMoto();
    client = new DynamoDBClient(moto.clientConfig);
    doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    await ensureTables(client, names);
  });
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });

  it('creates every table of tables.ts with its indexes and TTL on, and can run again harmlessly', async () => {
    // Act
    await ensureTables(client, names);

    // Assess
    for (const spec of TABLE_SPECS) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: names[spec.name] }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual(spec.globalIndexes.map((index) => index.indexName));
      const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: names[spec.name] }));
      if (spec.ttlAttribute === undefined) expect(TimeToLiveDescription?.TimeToLiveStatus).not.toBe('ENABLED');
      else expect(TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: spec.ttlAttribute });
    }
  });

  // One after the other: moto's server answers requests on threads without serializing writes to an item, so two
  // truly simultaneous conditional writes can both pass there (DynamoDB and dynalite serialize them; the
  // concurrent case is tested on dynalite in test/integration/dynamo/deliveries-repository.test.ts).
  it('lets one sender take a delivery, keeps a second out while the lease holds, and never reopens it once delivered', async () => {
    // Prepare
    const deliveries = new DynamoDeliveryRepository(doc, names.deliveries);
    const now = new Date().toISOString();
    const ttl = Math.floor(Date.now() / 1000) + 86_400;
    const claim = (deliveryId: string) =>
      deliveries.acquire({ subscriptionId: 'sub-moto', deliveryKey: 'art-1', deliveryId, now, leaseSeconds: 60, ttlEpochSeconds: ttl });

    // Act
    const claims = [await claim('dlv-a'), await claim('dlv-b')];
    await deliveries.markDelivered('sub-moto', 'art-1', new Date().toISOString());
    await deliveries.markFailed('sub-moto', 'art-1', new Date().toISOString(), 'a late failure report', false);
    const again = await claim('dlv-c');

    // Assess
    expect(claims).toEqual(['acquired', 'busy']);
    expect(again).toBe('delivered');
    expect(await deliveries.get('sub-moto', 'art-1')).toMatchObject({ status: 'delivered', attempts: 1 });
    const { Item } = await doc.send(new GetCommand({ TableName: names.deliveries, Key: { subscriptionId: 'sub-moto', articleId: 'art-1' } }));
    // The TTL attribute DynamoDB expires on: a number of epoch seconds, not a string.
    expect(Item?.expiresAt).toBe(ttl);
  });

  it('stores an article once and reports a second store as not new, with the TTL on the article and its listings', async () => {
    // Prepare
    const articles = new DynamoArticleRepository(doc, names.articles);
    const article = buildArticle({ articleId: 'art-moto' });
    const ttl = Math.floor(Date.now() / 1000) + 30 * 86_400;

    // Act
    const first = await articles.putIfNew(article, ttl);
    const second = await articles.create(article, ttl);

    // Assess
    expect([first, second]).toEqual([true, false]);
    const { Items = [] } = await doc.send(new ScanCommand({ TableName: names.articles }));
    expect(Items.length).toBeGreaterThan(1);
    expect(Items.every((item) => item.expiresAt === ttl)).toBe(true);
  });

  it('refuses a second feed with the same id, and a status change of a subscription that does not exist', async () => {
    // Prepare
    const feeds = new DynamoFeedRepository(doc, names.feeds);
    const subscriptions = new DynamoSubscriptionRepository(doc, names.subscriptions);
    const feed = buildFeed({ feedId: 'feed-moto' });

    // Act
    const created = [await feeds.create(feed), await feeds.create({ ...feed, sourceName: 'Another' })];

    // Assess
    expect(created).toEqual([true, false]);
    expect((await feeds.get('feed-moto'))?.sourceName).toBe(feed.sourceName);
    await subscriptions.put(buildSubscription({ subscriptionId: 'sub-exists' }));
    await expect(subscriptions.setStatus('sub-missing', 'paused')).rejects.toBeInstanceOf(NotFoundError);
    expect(await subscriptions.setStatus('sub-exists', 'active', { onlyIf: ['failing'] })).toBe(false);
  });

  describe("the scheduler Lambda's idempotency records", () => {
    let sqs: SQSClient;
    let pollQueueUrl: string;
    let handler: (event: ScheduledEvent, context: Context) => Promise<unknown>;
    const idempotencyTable = 'moto-idempotency';
    // Tables of its own: the feeds stored by the tests above are due too.
    const lambdaNames = localTableNames('moto-lambda');

    beforeAll(async () => {
      sqs = new SQSClient(moto.clientConfig);
      await ensureTables(client, lambdaNames);
      // As infra declares it: key `id`, records expiring through the `expiration` attribute Powertools writes.
      await client.send(
        new CreateTableCommand({
          TableName: idempotencyTable,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        }),
      );
      await client.send(new UpdateTimeToLiveCommand({ TableName: idempotencyTable, TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true } }));
      pollQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'moto-poll' }))).QueueUrl!;
      // The Lambda entry itself, as deployed: its clients find moto through AWS_ENDPOINT_URL, as the SDK reads it.
      Object.assign(process.env, {
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_REGION: moto.region,
        AWS_ACCESS_KEY_ID: 'moto',
        AWS_SECRET_ACCESS_KEY: 'moto',
        AWS_LAMBDA_FUNCTION_NAME: 'newsalert-scheduler',
        POWERTOOLS_TRACE_ENABLED: 'false',
        POWERTOOLS_METRICS_DISABLED: 'true',
        FEEDS_TABLE: lambdaNames.feeds,
        POLL_QUEUE_URL: pollQueueUrl,
        IDEMPOTENCY_TABLE: idempotencyTable,
      });
      ({ handler } = (await import('../../../functions/lambda/scheduler.js')) as unknown as { handler: typeof handler });
    });
    afterAll(() => {
      sqs?.destroy();
    });

    const scheduledEvent = (id: string): ScheduledEvent => ({
      version: '0',
      id,
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: new Date().toISOString(),
      region: moto.region,
      resources: ['arn:aws:events:us-east-1:123456789012:rule/newsalert-schedule'],
      detail: {},
    });
    const context = () => createLambdaContext({ functionName: 'newsalert-scheduler', timeoutMs: 30_000 });

    async function pollMessages(): Promise<string[]> {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pollQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
      return Messages.map((m) => (JSON.parse(m.Body ?? '{}') as { feedId: string }).feedId);
    }

    it('runs once per EventBridge event id: a redelivered event enqueues nothing, a new one does', async () => {
      // Prepare: a feed that is due, made due again after the first run.
      const feeds = new DynamoFeedRepository(doc, lambdaNames.feeds);
      const due = buildFeed({ feedId: 'feed-due', nextPollAt: new Date(Date.now() - 60_000).toISOString() });
      await feeds.create(due);

      // Act
      await handler(scheduledEvent('event-1'), context());
      const afterFirst = await pollMessages();
      await feeds.put(due);
      await handler(scheduledEvent('event-1'), context());
      const afterDuplicate = await pollMessages();
      await handler(scheduledEvent('event-2'), context());
      const afterNew = await pollMessages();

      // Assess
      expect(afterFirst).toEqual(['feed-due']);
      expect(afterDuplicate).toEqual([]);
      expect(afterNew).toEqual(['feed-due']);
      const { Items = [] } = await doc.send(new ScanCommand({ TableName: idempotencyTable }));
      expect(Items).toHaveLength(2);
      const now = Date.now() / 1000;
      for (const record of Items) {
        expect(record).toMatchObject({ status: 'COMPLETED' });
        expect(record.expiration).toBeGreaterThan(now + 3_000);
        expect(record.expiration).toBeLessThanOrEqual(now + 3_700);
      }
    });
  });
});
