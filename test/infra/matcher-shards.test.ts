// The matching tier in the template: K shards from the stage config (a queue on the articles topic, a matcher and a
// snapshot job each), the change log index, the snapshot bucket, and the alarms on snapshot age and change lag.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_LOG_ATTRIBUTES as FUNCTION_CHANGE_LOG_ATTRIBUTES } from '../../functions/adapters/dynamo/tables.js';
import { readStageConfig } from '../../infra/config.js';
import { CHANGE_LOG_ATTRIBUTES } from '../../infra/constructs/matcher-shards.js';
import { resourcesOfType, statementsOf, synthesizeStack } from './template-helpers.js';

const matchersOf = (template: Template) =>
  Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).filter(([id]) => /^Matcher\d*[0-9A-F]{8}$/.test(id));

describe('matcher shards', () => {
  let single: Template;
  let sharded: Template;

  beforeAll(() => {
    single = synthesizeStack('prod').template;
    const matcher = { ...readStageConfig('prod', {}).matcher, shards: 3, previousShards: 2, memoryMb: 3008 };
    sharded = synthesizeStack('prod', { matcher }).template;
  });

  it('makes one queue on the articles topic, one matcher and one snapshot job per shard, told which shard of how many', () => {
    // Act
    const envs = matchersOf(sharded).map(([, fn]) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables);

    // Assess
    expect(envs.map((env) => env.MATCHER_SHARD).sort()).toEqual(['0', '1', '2']);
    for (const env of envs) expect(env).toMatchObject({ MATCHER_SHARD_COUNT: '3', MATCHER_PREVIOUS_SHARD_COUNT: '2', NODE_OPTIONS: '--enable-source-maps --max-old-space-size=2556' });
    sharded.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true }, 3);
    sharded.resourcePropertiesCountIs('AWS::Events::Rule', { Description: Match.stringLikeRegexp('snapshot'), ScheduleExpression: 'rate(15 minutes)' }, 3);
    expect(matchersOf(single)).toHaveLength(1);
  });

  it('lets a matcher query only the change log index and read only snapshots, never the table or its secrets', () => {
    // Act
    const statements = statementsOf(single, 'Matcher');
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    const s3 = statements.filter((s) => JSON.stringify(s.Action).includes('s3:'));

    // Assess
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0]?.Action).toBe('dynamodb:Query');
    expect(JSON.stringify(dynamo[0]?.Resource)).toContain('/index/byChange');
    expect(s3.flatMap((s) => [s.Action].flat()).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
  });

  it('declares the change log index projecting what matching reads and no channel, as the functions expect', () => {
    // Assess
    expect([...CHANGE_LOG_ATTRIBUTES]).toEqual([...FUNCTION_CHANGE_LOG_ATTRIBUTES]);
    single.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byChange',
          KeySchema: [
            { AttributeName: 'changeBucket', KeyType: 'HASH' },
            { AttributeName: 'changeSeq', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: Match.arrayWith(['topics', 'status', 'deleted']) },
        },
      ],
    });
    const table = Object.values(resourcesOfType(single, 'AWS::DynamoDB::Table')).find((t) => JSON.stringify(t.Properties).includes('byChange'));
    expect(JSON.stringify(table?.Properties)).not.toContain('"channel"');
  });

  it('keeps snapshots in an encrypted, private, TLS-only bucket whose objects expire', () => {
    // Assess
    single.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 14, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' })] },
    });
    single.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('alarms when a matcher started from an old snapshot or stopped reading the change log', () => {
    // Assess
    single.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'newsalert-prod-MatchSnapshotAge',
      MetricName: 'MatchSnapshotAgeSeconds',
      Statistic: 'Maximum',
      Threshold: 14_400,
    });
    single.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'newsalert-prod-MatchChangeLag',
      MetricName: 'MatchChangeLagSeconds',
      Statistic: 'Maximum',
      Threshold: 60,
      EvaluationPeriods: 3,
    });
  });
});
