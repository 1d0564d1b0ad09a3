// Lambda entry: wiring only. What a matcher shard is given is functions/compose/matcher.ts, shared with the local
// runtime; which shard it is comes from its environment (one function per shard, MATCHER_SHARD).
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3SnapshotStore } from '#adapters/match-snapshots.js';
import { awsFunction } from '#compose/aws.js';
import { composeMatcher } from '#compose/matcher.js';
import { FUNCTION_RESOURCES } from '#compose/resources.js';
import { parseShardAssignment } from '#domain/subscription-shards.js';
import { createMatchIndexCache, createMatcherHandler } from '#handlers/matcher.js';
import { traceClient } from '#shared/tracer.js';

// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const aws = await awsFunction('matcher', FUNCTION_RESOURCES.matcher, {
  sqs: () => new SQSClient({}),
  snapshots: (bucket, tracer) => new S3SnapshotStore(traceClient(tracer, new S3Client({})), bucket),
});
const shard = parseShardAssignment({
  shard: aws.env.MATCHER_SHARD,
  count: aws.env.MATCHER_SHARD_COUNT,
  ...(aws.env.MATCHER_PREVIOUS_SHARD_COUNT === undefined ? {} : { previousCount: aws.env.MATCHER_PREVIOUS_SHARD_COUNT }),
});
const deps = composeMatcher(aws.platform, aws.observability);

export const handler = createMatcherHandler(deps, createMatchIndexCache(deps, { shard }));
