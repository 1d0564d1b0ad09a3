import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SPECS } from '../../functions/adapters/dynamo/tables.js';
import {
  actionsOf,
  environmentOf,
  FUNCTION_IDS,
  functionLogicalId,
  functionResource,
  mentionedLogicalIds,
  referencedLogicalId,
  resourcesOf,
  resourcesOfType,
  statementsOf,
  synthesizeTemplate,
} from './template-helpers.js';
import type { FunctionId } from './template-helpers.js';

const TIMEOUT_SECONDS: Record<FunctionId, number> = {
  Scheduler: 30,
  Poller: 60,
  Matcher: 30,
  MatchSnapshot: 900,
  Deliverer: 30,
  Api: 10,
  WebSubCallback: 60,
  WebSubRenewer: 30,
  Digest: 60,
};

let dev: Template;
let prod: Template;

beforeAll(() => {
  dev = synthesizeTemplate('dev');
  prod = synthesizeTemplate('prod');
});

/** Physical table logical id for each table env var, as the functions see it. */
function tableIdsByEnvVar(template: Template): Map<string, string> {
  const byVar = new Map<string, string>();
  for (const id of FUNCTION_IDS) {
    for (const [name, value] of Object.entries(environmentOf(template, id))) {
      const target = referencedLogicalId(value);
      if (!name.endsWith('_TABLE') || !target) continue;
      const known = byVar.get(name);
      if (known && known !== target) throw new Error(`${name} points at ${known} and ${target}`);
      byVar.set(name, target);
    }
  }
  return byVar;
}

/** The queue a function consumes, found through its event source mapping. */
function consumedQueue(template: Template, id: FunctionId): { mapping: Record<string, unknown>; queueId: string } {
  const functionId = functionLogicalId(template, id);
  const mappings = Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')).filter(
    (mapping) => referencedLogicalId(mapping.Properties.FunctionName) === functionId,
  );
  expect(mappings, `${id} event sources`).toHaveLength(1);
  const mapping = (mappings[0] as { Properties: Record<string, unknown> }).Properties;
  const queueId = referencedLogicalId(mapping.EventSourceArn);
  if (!queueId) throw new Error(`${id} event source is not a queue of this stack`);
  return { mapping, queueId };
}

describe('functions', () => {
  it.each(FUNCTION_IDS)('runs %s on Node 22 arm64 with tracing, source maps and its own log group', (id) => {
    // Prepare
    const fn = functionResource(dev, id).Properties;

    // Assess
    expect(fn).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      // The matcher is sized per stage (test/infra/matcher-sizing.test.ts) and adds a heap limit to NODE_OPTIONS.
      MemorySize: id === 'Matcher' || id === 'MatchSnapshot' ? 512 : 256,
      Timeout: TIMEOUT_SECONDS[id],
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          NODE_OPTIONS: expect.stringMatching(/^--enable-source-maps( |$)/) as unknown,
          POWERTOOLS_SERVICE_NAME: 'newsalert',
          LOG_LEVEL: 'DEBUG',
        },
      },
    });
    const logGroupId = referencedLogicalId((fn.LoggingConfig as { LogGroup: unknown }).LogGroup);
    expect(resourcesOfType(dev, 'AWS::Logs::LogGroup')[logGroupId ?? '']?.Properties.RetentionInDays).toBe(7);
  });

  it('deploys exactly the pipeline functions', () => {
    expect(Object.keys(resourcesOfType(dev, 'AWS::Lambda::Function')).sort()).toEqual(
      FUNCTION_IDS.map((id) => functionLogicalId(dev, id)).sort(),
    );
  });

  it('caps poller concurrency from the stage config', () => {
    expect(functionResource(dev, 'Poller').Properties.ReservedConcurrentExecutions).toBe(2);
    expect(functionResource(prod, 'Poller').Properties.ReservedConcurrentExecutions).toBe(10);
  });

  it('passes the article retention as a number of days', () => {
    expect(environmentOf(dev, 'Poller').ARTICLE_RETENTION_DAYS).toBe('30');
  });
});

describe('queues', () => {
  const consumers = [
    { consumer: 'Poller', batchSize: 5 },
    { consumer: 'Matcher', batchSize: 10 },
    { consumer: 'Deliverer', batchSize: 10 },
  ] as const;

  it.each(consumers)('feeds $consumer with partial batch failures and batch size $batchSize', ({ consumer, batchSize }) => {
    const { mapping } = consumedQueue(dev, consumer);
    expect(mapping).toMatchObject({ BatchSize: batchSize, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it.each(consumers)('backs the $consumer queue with an encrypted dead-letter queue', ({ consumer }) => {
    // Prepare
    const queues = resourcesOfType(dev, 'AWS::SQS::Queue');
    const { queueId } = consumedQueue(dev, consumer);
    const queue = queues[queueId]?.Properties ?? {};

    // Act
    const redrive = queue.RedrivePolicy as { maxReceiveCount: number; deadLetterTargetArn: unknown };
    const dlq = queues[referencedLogicalId(redrive.deadLetterTargetArn) ?? '']?.Properties;

    // Assess
    expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(dlq).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it.each(consumers)('hides $consumer messages for at least six times its timeout', ({ consumer }) => {
    const { queueId } = consumedQueue(dev, consumer);
    const visibility = resourcesOfType(dev, 'AWS::SQS::Queue')[queueId]?.Properties.VisibilityTimeout as number;
    const timeout = functionResource(dev, consumer).Properties.Timeout as number;
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('refuses unencrypted transport on every queue', () => {
    // Prepare
    const queueIds = Object.keys(resourcesOfType(dev, 'AWS::SQS::Queue'));
    const policies = Object.values(resourcesOfType(dev, 'AWS::SQS::QueuePolicy'));

    // Act
    const guarded = queueIds.filter((queueId) =>
      policies.some(
        (policy) =>
          (policy.Properties.Queues as unknown[]).some((queue) => referencedLogicalId(queue) === queueId) &&
          (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.some(
            (statement) =>
              statement.Effect === 'Deny' &&
              JSON.stringify(statement.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
          ),
      ),
    );

    // Assess
    // Three work queues, their DLQs, and the schedule rule's DLQ.
    expect(queueIds).toHaveLength(7);
    expect(guarded.sort()).toEqual(queueIds.sort());
  });
});

describe('topics', () => {
  it('delivers the articles topic raw into the match queue, which admits only that topic', () => {
    // Prepare
    const topicId = referencedLogicalId(environmentOf(dev, 'Poller').ARTICLES_TOPIC_ARN);
    const { queueId } = consumedQueue(dev, 'Matcher');

    // Act
    const queuePolicy = Object.values(resourcesOfType(dev, 'AWS::SQS::QueuePolicy')).find((policy) =>
      (policy.Properties.Queues as unknown[]).some((queue) => referencedLogicalId(queue) === queueId),
    );
    const allows = (
      queuePolicy?.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }
    ).Statement.filter((statement) => statement.Effect === 'Allow');

    // Assess
    dev.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } },
      }),
    ]);
  });

  it('encrypts both pipeline topics with the AWS-managed SNS key and refuses plain transport', () => {
    // The alarm topic needs a key CloudWatch may use: test/infra/observability.test.ts checks it.
    const topics = Object.fromEntries(
      Object.entries(resourcesOfType(dev, 'AWS::SNS::Topic')).filter(([id]) => !id.startsWith('MonitoringAlarmTopic')),
    );
    expect(Object.keys(topics)).toHaveLength(2);
    for (const [topicId, topic] of Object.entries(topics)) {
      expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).toContain(':alias/aws/sns');
      dev.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

describe('tables', () => {
  it.each(TABLE_SPECS.map((spec) => [spec.name, spec] as const))(
    'declares the %s table exactly as TABLE_SPECS describes it',
    (_name, spec) => {
      // Prepare
      const tableId = tableIdsByEnvVar(dev).get(spec.envVar);
      const table = resourcesOfType(dev, 'AWS::DynamoDB::Table')[tableId ?? '']?.Properties;
      const keySchema = (partitionKey: string, sortKey?: string): { AttributeName: string; KeyType: string }[] => [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : []),
      ];

      // Act
      const indexes = ((table?.GlobalSecondaryIndexes ?? []) as { IndexName: string; KeySchema: unknown }[]).map(
        ({ IndexName, KeySchema }) => ({ IndexName, KeySchema }),
      );

      // Assess
      expect(table, `no function receives ${spec.envVar}`).toBeDefined();
      expect(table?.KeySchema).toEqual(keySchema(spec.partitionKey, spec.sortKey));
      expect(indexes).toEqual(
        spec.globalIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
        })),
      );
      expect(table?.TimeToLiveSpecification).toEqual(
        spec.ttlAttribute ? { AttributeName: spec.ttlAttribute, Enabled: true } : undefined,
      );
      expect(table).toMatchObject({ BillingMode: 'PAY_PER_REQUEST', SSESpecification: { SSEEnabled: true } });
      for (const attribute of table?.AttributeDefinitions as { AttributeType: string }[]) {
        expect(attribute.AttributeType).toBe('S');
      }
    },
  );

  it('declares no table that TABLE_SPECS does not know', () => {
    // The Powertools idempotency table is infra-only (the local runtime has no scheduler duplicates to absorb).
    const idempotency = tableIdsByEnvVar(dev).get('IDEMPOTENCY_TABLE');
    const declared = Object.keys(resourcesOfType(dev, 'AWS::DynamoDB::Table'))
      .filter((id) => id !== idempotency)
      .sort();
    const specified = TABLE_SPECS.map((spec) => tableIdsByEnvVar(dev).get(spec.envVar)).sort();
    expect(idempotency).toBeDefined();
    expect(declared).toEqual(specified);
  });

  it('keeps prod data: point-in-time recovery and Retain on tables and logs', () => {
    for (const table of Object.values(resourcesOfType(prod, 'AWS::DynamoDB::Table'))) {
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    for (const logGroup of Object.values(resourcesOfType(prod, 'AWS::Logs::LogGroup'))) {
      expect(logGroup).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
    }
  });

  it('lets dev data go with the stack', () => {
    for (const table of Object.values(resourcesOfType(dev, 'AWS::DynamoDB::Table'))) {
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: false });
      expect(table).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    }
    for (const logGroup of Object.values(resourcesOfType(dev, 'AWS::Logs::LogGroup'))) {
      expect(logGroup.DeletionPolicy).toBe('Delete');
    }
  });
});

describe('permissions', () => {
  // Which tables, queues and topics each function is granted, and how: test/infra/function-grants.test.ts.
  it('grants no wildcard resource except X-Ray tracing and the deliverer sending to subscriber queues', () => {
    // X-Ray has no resource-level permissions: PutTraceSegments on "*" is the only form AWS accepts.
    const tracing = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
    const wildcards: string[] = [];
    for (const id of FUNCTION_IDS) {
      for (const statement of statementsOf(dev, id)) {
        const wild = resourcesOf(statement).filter((resource) => typeof resource === 'string' && resource.includes('*'));
        if (wild.length === 0) continue;
        const actions = actionsOf(statement);
        const isTracing = wild.every((resource) => resource === '*') && actions.every((a) => tracing.includes(a));
        if (!isTracing) wildcards.push(`${id}: ${actions.join(',')} on ${wild.join(',')}`);
      }
    }
    expect(wildcards).toEqual(['Deliverer: sqs:SendMessage on arn:aws:sqs:*:*:*']);
  });

  it('never grants a wildcard action', () => {
    for (const id of FUNCTION_IDS) {
      for (const statement of statementsOf(dev, id)) {
        for (const action of actionsOf(statement)) expect(action, id).not.toMatch(/(^\*$)|(:\*$)/);
      }
    }
  });

  it('lets only the poller and the WebSub callback (pushes take the ingest core) publish articles, and only the deliverer alerts', () => {
    const articlesTopic = referencedLogicalId(environmentOf(dev, 'Poller').ARTICLES_TOPIC_ARN);
    const alertsTopic = referencedLogicalId(environmentOf(dev, 'Deliverer').ALERTS_TOPIC_ARN);
    const publishers = (topicId: string | undefined): FunctionId[] =>
      FUNCTION_IDS.filter((id) =>
        statementsOf(dev, id).some(
          (statement) =>
            actionsOf(statement).includes('sns:Publish') && mentionedLogicalIds(statement.Resource).has(topicId ?? ''),
        ),
      );
    expect(publishers(articlesTopic)).toEqual(['Poller', 'WebSubCallback']);
    expect(publishers(alertsTopic)).toEqual(['Deliverer']);
  });
});

describe('schedule', () => {
  it('wakes the scheduler every five minutes', () => {
    const schedulerId = functionLogicalId(dev, 'Scheduler');
    dev.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [schedulerId, 'Arn'] } })],
    });
    dev.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [schedulerId, 'Arn'] },
    });
  });
});

describe('digests and delivery retries', () => {
  it('wakes the digest function every 15 minutes', () => {
    const digestId = functionLogicalId(dev, 'Digest');
    dev.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [digestId, 'Arn'] } })],
    });
    dev.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [digestId, 'Arn'] },
    });
  });

  it('lets the deliverer re-enqueue retries on its own queue and dead-letter the last attempt to that queue\'s DLQ', () => {
    // Prepare
    const { queueId } = consumedQueue(dev, 'Deliverer');
    const queue = resourcesOfType(dev, 'AWS::SQS::Queue')[queueId]?.Properties ?? {};
    const dlqId = referencedLogicalId((queue.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn);
    const env = environmentOf(dev, 'Deliverer');

    // Act
    const sendsTo = (id: string | undefined) =>
      statementsOf(dev, 'Deliverer').some((statement) => actionsOf(statement).includes('sqs:SendMessage') && mentionedLogicalIds(statement.Resource).has(id ?? ''));

    // Assess
    expect(referencedLogicalId(env.DELIVERY_QUEUE_URL)).toBe(queueId);
    expect(referencedLogicalId(env.DELIVERY_DLQ_URL)).toBe(dlqId);
    expect(sendsTo(queueId)).toBe(true);
    expect(sendsTo(dlqId)).toBe(true);
  });

  it('lets the digest function only enqueue deliveries, never send alerts itself', () => {
    const { queueId } = consumedQueue(dev, 'Deliverer');
    const statements = statementsOf(dev, 'Digest');
    expect(referencedLogicalId(environmentOf(dev, 'Digest').DELIVERY_QUEUE_URL)).toBe(queueId);
    expect(statements.some((statement) => actionsOf(statement).includes('sns:Publish'))).toBe(false);
  });

  it('indexes held digest alerts by release time, expiring them with a TTL', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'subscriptionId', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byRelease' })],
    });
  });

  it('lets the api redrive the delivery DLQ with a message move task, on that queue only', () => {
    const { queueId } = consumedQueue(dev, 'Deliverer');
    const queue = resourcesOfType(dev, 'AWS::SQS::Queue')[queueId]?.Properties ?? {};
    const dlqId = referencedLogicalId((queue.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn);
    const moves = statementsOf(dev, 'Api').filter((statement) => actionsOf(statement).includes('sqs:StartMessageMoveTask'));
    expect(moves).toHaveLength(1);
    expect([...mentionedLogicalIds(moves[0]!.Resource)]).toEqual([dlqId]);
  });
});

describe('HTTP API', () => {
  // The callback authenticates pushes by X-Hub-Signature.
  const websubRoutes = ['GET /websub/{feedId}', 'POST /websub/{feedId}'];

  // Which routes exist is held against the api function's own route table in test/unit/handlers/api-contract.test.ts.
  it('puts no API Gateway authorizer on any route: the functions authenticate (API keys, hub signatures)', () => {
    const routes = Object.values(resourcesOfType(dev, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties);
    expect(routes.map((route) => route.RouteKey)).toEqual(expect.arrayContaining(websubRoutes));
    for (const route of routes) expect(route.AuthorizationType ?? 'NONE', String(route.RouteKey)).toBe('NONE');
  });

  it('gives the api function the keys table and the unsubscribe secret only as a deploy-time reference', () => {
    const env = environmentOf(dev, 'Api');
    const secret = JSON.stringify(env.UNSUBSCRIBE_SECRET);
    expect(secret).toContain('{{resolve:secretsmanager:');
    expect(Object.keys(resourcesOfType(dev, 'AWS::SecretsManager::Secret'))).toHaveLength(1);
    dev.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
  });

  it('sends the WebSub callback to its own function, which builds no callback URLs itself', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [functionLogicalId(dev, 'WebSubCallback'), 'Arn'] },
    });
    expect(environmentOf(dev, 'Api').API_BASE_URL).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^HttpApi/), 'ApiEndpoint'] });
  });

  it('sends every other route to the api function', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [functionLogicalId(dev, 'Api'), 'Arn'] },
    });
    expect(Object.keys(resourcesOfType(dev, 'AWS::ApiGatewayV2::Integration'))).toHaveLength(2);
  });

  it('throttles the default stage', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 20 },
    });
  });
});

describe('stack', () => {
  it('outputs the API URL, table names and topic ARNs', () => {
    const outputs = dev.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'ApiUrl',
        'FeedsTableName',
        'ArticlesTableName',
        'SubscriptionsTableName',
        'DeliveriesTableName',
        'ApiKeysTableName',
        'IngestTableName',
        'ArticlesTopicArn',
        'AlertsTopicArn',
        'AlarmTopicArn',
        'DashboardName',
        'MatchSnapshotBucketName',
      ].sort(),
    );
  });

  it('tags resources with the app and the stage', () => {
    prod.hasResourceProperties('AWS::DynamoDB::Table', {
      Tags: Match.arrayWith([
        { Key: 'app', Value: 'newsalert' },
        { Key: 'stage', Value: 'prod' },
      ]),
    });
    dev.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([
        { Key: 'app', Value: 'newsalert' },
        { Key: 'stage', Value: 'dev' },
      ]),
    });
  });
});
