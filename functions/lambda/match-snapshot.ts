// Lambda entry: wiring only. What the snapshot job is given is functions/compose/match-snapshot.ts, shared with the
// local runtime; one function per matcher shard, which its environment names.
import { S3Client } from '@aws-sdk/client-s3';
import { S3SnapshotStore } from '#adapters/match-snapshots.js';
import { awsFunction } from '#compose/aws.js';
import { composeMatchSnapshot } from '#compose/match-snapshot.js';
import { FUNCTION_RESOURCES } from '#compose/resources.js';
import { parseShardAssignment } from '#domain/subscription-shards.js';
import { createMatchSnapshotHandler } from '#handlers/match-snapshot.js';
import { traceClient } from '#shared/tracer.js';

// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const aws = await awsFunction('match-snapshot', FUNCTION_RESOURCES['match-snapshot'], {
  snapshots: (bucket, tracer) => new S3SnapshotStore(traceClient(tracer, new S3Client({})), bucket),
});
const shard = parseShardAssignment({
  shard: aws.env.MATCHER_SHARD,
  count: aws.env.MATCHER_SHARD_COUNT,
  ...(aws.env.MATCHER_PREVIOUS_SHARD_COUNT === undefined ? {} : { previousCount: aws.env.MATCHER_PREVIOUS_SHARD_COUNT }),
});
const scanSegments = aws.env.SUBSCRIPTION_SCAN_SEGMENTS;

export const handler = createMatchSnapshotHandler(
  composeMatchSnapshot(aws.platform, aws.observability, scanSegments === undefined ? {} : { scanSegments }),
  shard,
);
