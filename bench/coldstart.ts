// `npm run bench -- coldstart [--json] [--runs N] [--only poller,api]`: synthesises the stack with CDK's bundling and
// takes every Lambda bundle as it deploys (test/helpers/bundle.ts), then imports each bundle in a fresh Node process N times and reports the median import
// time and the size. Two modes: "local" (no tracer: outside Lambda it is never loaded) and "lambda" (the env says
// Lambda, so the entry loads Powertools Tracer and its X-Ray SDK, as in AWS). A fresh process importing an empty
// module is the peer: `ratio` is the bundle's median over the peer's, so machines of different speed compare.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../infra/constructs/node-function.js';
import { synthesiseBundles } from '../test/helpers/bundle.js';

/** Inside the repository, so the bundles' external `@aws-sdk/*` imports resolve from node_modules like in Lambda. */
const OUT_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'newsalert-coldstart');

/** Every variable some entry requires, with well-formed placeholder values: importing never calls AWS. */
const FAKE_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_METRICS_NAMESPACE: 'newsalert-bench',
  ...Object.fromEntries(
    ['FEEDS', 'ARTICLES', 'SUBSCRIPTIONS', 'DELIVERIES', 'INGEST', 'DIGESTS', 'API_KEYS', 'IDEMPOTENCY', 'STORIES'].map((t) => [
      `${t}_TABLE`,
      `bench-${t.toLowerCase()}`,
    ]),
  ),
  POLL_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/poll',
  DELIVERY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/delivery',
  DELIVERY_DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/delivery-dlq',
  DELIVERY_QUEUE_ARN: 'arn:aws:sqs:eu-west-1:123456789012:delivery',
  DELIVERY_DLQ_ARN: 'arn:aws:sqs:eu-west-1:123456789012:delivery-dlq',
  ARTICLES_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:articles',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts',
  API_BASE_URL: 'https://api.example.com',
  UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789abcdef',
  MATCH_SNAPSHOT_BUCKET: 'bench-match-snapshots',
};

const LAMBDA_ENV = { AWS_LAMBDA_FUNCTION_NAME: 'bench', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', _X_AMZN_TRACE_ID: 'Root=1-00000000-000000000000000000000000;Sampled=0' };

/** One fresh process: milliseconds from just before `import()` to the module (and its top-level awaits) being ready. */
function importOnce(file: string, env: Record<string, string>): number {
  const script = `const t=process.hrtime.bigint();await import(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...FAKE_ENV, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return Number(out.trim());
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

export async function run(args: string[]): Promise<object> {
  const runsArg = args.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 7;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const onlyArg = args.indexOf('--only');
  const only = onlyArg >= 0 ? new Set((args[onlyArg + 1] ?? '').split(',')) : undefined;
  mkdirSync(OUT_DIR, { recursive: true });

  const peerFile = path.join(OUT_DIR, 'peer-empty.mjs');
  writeFileSync(peerFile, 'export const handler = async () => undefined;\n');
  const peer = median(Array.from({ length: runs }, () => importOnce(peerFile, {})));

  const cdkOut = path.join(OUT_DIR, 'cdk.out');
  rmSync(cdkOut, { recursive: true, force: true });
  const functions = [];
  for (const report of synthesiseBundles(cdkOut)) {
    const name = report.name;
    if (only && !only.has(name)) continue;
    const file = path.join(report.assetDir, 'index.mjs');
    const local = median(Array.from({ length: runs }, () => importOnce(file, {})));
    const lambda = median(Array.from({ length: runs }, () => importOnce(file, LAMBDA_ENV)));
    functions.push({
      name,
      sizeKB: round(report.bytes / 1024),
      medianImportMs: { local: round(local), lambda: round(lambda) },
      ratioToPeer: { local: round(local / peer, 2), lambda: round(lambda / peer, 2) },
      largest: report.contributors.slice(0, 4).map((c) => `${c.source} ${Math.round(c.bytes / 1024)} KB`),
    });
  }
  return { runs, node: process.version, peerMedianImportMs: round(peer, 2), functions };
}
