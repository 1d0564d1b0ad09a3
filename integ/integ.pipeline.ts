// Deploy-time integration test (`npm run integ`, in an operator's own account; never in CI): deploys a dev-like
// newsalert stack plus a test stack with a tiny RSS feed (a Lambda function URL) and a subscriber SQS queue, then,
// through the real HTTP API, registers the feed and a subscription delivering to that queue, and waits until an
// alert for the feed's article arrives on the queue. integ-runner destroys both stacks afterwards.
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { generateApiKey } from '../functions/domain/api-key.js';
import { readStageConfig } from '../infra/config.js';
import { NewsalertStack } from '../infra/stacks/newsalert-stack.js';

export const INTEG_ARTICLE_TITLE = 'Integration test: France and Germany sign a border treaty';

/** One RSS item with a stable link, so the alert's article is recognisable on the subscriber queue. */
const FEED_BODY = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>newsalert integ</title>
<link>https://example.com/</link><description>test feed</description><item><title>${INTEG_ARTICLE_TITLE}</title>
<link>https://example.com/integ/border-treaty</link><guid>newsalert-integ-1</guid>
<pubDate>${new Date().toUTCString()}</pubDate><description>Paris and Berlin agreed on a treaty about France and Germany's border.</description>
</item></channel></rss>`;

export function buildIntegApp(app: App): { integ: IntegTest; pipeline: NewsalertStack; fixtures: Stack } {
  const pipeline = new NewsalertStack(app, 'newsalert-integ', {
    // dev settings (everything is destroyed afterwards), with a one-minute schedule so the test finishes sooner.
    config: { ...readStageConfig('dev', process.env), scheduleRate: Duration.minutes(1) },
  });

  const fixtures = new Stack(app, 'newsalert-integ-fixtures');
  const feedServer = new lambda.Function(fixtures, 'FeedServer', {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromInline(
      `exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body: ${JSON.stringify(FEED_BODY)} });`,
    ),
    logGroup: new logs.LogGroup(fixtures, 'FeedServerLogs', { retention: logs.RetentionDays.ONE_DAY, removalPolicy: RemovalPolicy.DESTROY }),
  });
  const feedUrl = feedServer.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  const subscriberQueue = new sqs.Queue(fixtures, 'SubscriberQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  new CfnOutput(fixtures, 'FeedUrl', { value: feedUrl.url });

  const integ = new IntegTest(app, 'PipelineInteg', {
    testCases: [pipeline, fixtures],
    diffAssets: false,
    stackUpdateWorkflow: false,
  });

  // An admin key for this run only: its hash goes into the keys table, the key into the test's requests.
  const { key, record } = generateApiKey({ scope: 'admin', name: 'integ' }, { now: new Date(), randomBytes: (n) => randomBytes(n) });
  const keysTable = pipeline.tables.apiKeys;
  const apiStage = pipeline.api.stage;
  const headers = { 'content-type': 'application/json', 'x-api-key': key };
  const item = Object.fromEntries(
    Object.entries(record).map(([name, value]) => [name, typeof value === 'number' ? { N: String(value) } : { S: String(value) }]),
  );

  integ.assertions
    .awsApiCall('DynamoDB', 'putItem', { TableName: keysTable.tableName, Item: item })
    .next(
      integ.assertions
        .httpApiCall(`${apiStage.url}feeds`, { method: 'POST', headers, body: JSON.stringify({ url: feedUrl.url, sourceCountry: 'FR', language: 'en' }) })
        .expect(ExpectedResult.objectLike({ status: 201 })),
    )
    .next(
      integ.assertions
        .httpApiCall(`${apiStage.url}subscriptions`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ name: 'integ', topics: [], countries: ['FR'], keywords: [], channel: { type: 'sqs', queueUrl: subscriberQueue.queueUrl } }),
        })
        .expect(ExpectedResult.objectLike({ status: 201 })),
    )
    .next(
      integ.assertions
        .awsApiCall('SQS', 'receiveMessage', { QueueUrl: subscriberQueue.queueUrl, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 })
        .assertAtPath('Messages.0.Body', ExpectedResult.stringLikeRegexp('border treaty'))
        .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) }),
    );

  return { integ, pipeline, fixtures };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const app = new App();
  buildIntegApp(app);
  app.synth();
}
