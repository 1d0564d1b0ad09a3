// Every newsalert Lambda: Node 22 on Graviton, bundled as minified ESM with source maps, its own log group with a
// retention, and X-Ray. The use* methods set an environment variable and its IAM grant in one call, so a function
// can never hold a permission for a resource it is not told about, nor be told about one it cannot reach.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as lambda_nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { LogLevel } from '../config.js';

/** The repository root: esbuild's working directory and where package-lock.json lives. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export type TableAccess = 'read' | 'readWrite';

/**
 * How every function is bundled. Exported so test/infra/bundle-budget.test.ts and bench/coldstart.ts build exactly
 * what CDK deploys.
 */
export const LAMBDA_BUNDLING = {
  format: 'esm',
  minify: true,
  target: 'node22',
  platform: 'node',
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies call require(); ESM output has none unless we recreate it.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  // The nodejs22.x runtime ships AWS SDK v3; bundling it would only add cold-start weight.
  external: ['@aws-sdk/*'],
  // Keep non-ASCII text (the gazetteer's names in many scripts) as UTF-8 instead of \uXXXX escapes: ~85 KB less.
  charset: 'utf8',
} as const;

export interface NodeFunctionProps {
  /** The handler module, relative to the repository root, e.g. `functions/lambda/poller.ts`. It exports `handler`. */
  readonly entry: string;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the log group when the function goes.
   * @default RemovalPolicy.RETAIN (CloudFormation's default for log groups)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default 'newsalert' */
  readonly serviceName?: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default - no reservation; the function shares the account's unreserved concurrency */
  readonly reservedConcurrentExecutions?: number;
  /** @default - none */
  readonly description?: string;
  /**
   * The function classifies articles: the classifier's data files (topic model, language model, gazetteers;
   * functions/domain/classification/data) are copied beside the bundle as `classifier-data/`, where
   * functions/adapters/classifier.ts reads them on first use.
   * @default false
   */
  readonly classifierData?: boolean;
  /**
   * The function serves the web console: its build (functions/console, by scripts/build-console.ts) is written
   * beside the bundle as `console/`, where functions/adapters/console-files.ts reads it.
   * @default false
   */
  readonly consoleAssets?: boolean;
  /**
   * CloudWatch namespace of the function's EMF metrics (POWERTOOLS_METRICS_NAMESPACE).
   * @default 'newsalert'
   */
  readonly metricsNamespace?: string;
}

/** Where the classifier's data files live in the repository, and their folder in a Lambda asset. */
export const CLASSIFIER_DATA_SOURCE = path.join('functions', 'domain', 'classification', 'data');
export const CLASSIFIER_DATA_ASSET_DIR = 'classifier-data';

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * Shell commands that copy the classifier's data files (every file of the data folder but its README) from the
 * repository at `inputDir` into `classifier-data/` beside the bundle in `outputDir`; the benches run the same ones.
 */
export function classifierDataCommands(inputDir: string, outputDir: string): string[] {
  const source = shellQuote(path.join(inputDir, CLASSIFIER_DATA_SOURCE));
  const target = shellQuote(path.join(outputDir, CLASSIFIER_DATA_ASSET_DIR));
  return [`mkdir -p ${target}`, `find ${source} -maxdepth 1 -type f ! -name README.md -exec cp {} ${target}/ \\;`];
}

/** Bundling hooks that copy the classifier's data files beside the bundle; cp runs where the bundle is built. */
export function classifierDataHooks(): NonNullable<lambda_nodejs.BundlingOptions['commandHooks']> {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: classifierDataCommands,
  };
}

export const CONSOLE_ASSET_DIR = 'console';

/** The command that builds the web console into `console/` beside the bundle; the asset-budget test runs it too. */
export function consoleAssetCommands(inputDir: string, outputDir: string): string[] {
  const target = shellQuote(path.join(outputDir, CONSOLE_ASSET_DIR));
  return [`cd ${shellQuote(inputDir)} && node --import tsx scripts/build-console.ts ${target}`];
}

function afterBundlingHooks(props: NodeFunctionProps): NonNullable<lambda_nodejs.BundlingOptions['commandHooks']> | undefined {
  if (props.classifierData !== true && props.consoleAssets !== true) return undefined;
  if (props.consoleAssets !== true) return classifierDataHooks();
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      ...(props.classifierData === true ? classifierDataCommands(inputDir, outputDir) : []),
      ...consoleAssetCommands(inputDir, outputDir),
    ],
  };
}

export class NodeFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    super(scope, id, {
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      description: props.description,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'newsalert',
        LOG_LEVEL: props.logLevel ?? 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'newsalert',
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: LAMBDA_BUNDLING.minify,
        sourceMap: true,
        target: LAMBDA_BUNDLING.target,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        banner: LAMBDA_BUNDLING.banner,
        externalModules: [...LAMBDA_BUNDLING.external],
        // aws-cdk-lib accepts `charset: Charset.UTF8` but never passes it to esbuild (aws/aws-cdk#32649), so every
        // non-ASCII character would ship as a \uXXXX escape. The flag goes to esbuild directly instead.
        esbuildArgs: { '--charset': LAMBDA_BUNDLING.charset },
        metafile: true,
        ...(afterBundlingHooks(props) === undefined ? {} : { commandHooks: afterBundlingHooks(props) }),
      },
    });
  }

  /** Passes the table's name in `envVar` and grants exactly the requested access to it and its indexes. */
  useTable(envVar: string, table: dynamodb.ITable, access: TableAccess): this {
    this.addEnvironment(envVar, table.tableName);
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    return this;
  }

  /** Passes the queue's URL in `envVar` and allows sending to it (nothing else). */
  useQueueForSending(envVar: string, queue: sqs.IQueue): this {
    this.addEnvironment(envVar, queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /** Passes the topic's ARN in `envVar` and allows publishing to it (nothing else). */
  useTopicForPublishing(envVar: string, topic: sns.ITopic): this {
    this.addEnvironment(envVar, topic.topicArn);
    topic.grantPublish(this);
    return this;
  }
}
