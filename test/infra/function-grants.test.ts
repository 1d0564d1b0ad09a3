// Each function is granted and told exactly what its composition uses. Two halves, one table between them
// (FUNCTION_RESOURCES, functions/compose/resources.ts):
//   1. each composition module, run over a platform that records what is asked of it, uses exactly the tables,
//      queues, topics and URLs its entry in the table names (so the table holds no grant nobody uses);
//   2. the synthesised stack gives each function exactly those: the variables, pointing at the right resources,
//      and IAM statements on those resources only, writing only where the table says readWrite.
// The WebSub callback was once deployed without the story index it needs; this is the test that says so.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SPECS } from '../../functions/adapters/dynamo/tables.js';
import { composeApi } from '../../functions/compose/api.js';
import { composeDeliverer } from '../../functions/compose/deliverer.js';
import { composeDigest } from '../../functions/compose/digest.js';
import { composeMatchSnapshot } from '../../functions/compose/match-snapshot.js';
import { composeMatcher } from '../../functions/compose/matcher.js';
import type { Platform } from '../../functions/compose/platform.js';
import { composePoller } from '../../functions/compose/poller.js';
import {
  FUNCTION_RESOURCES,
  QUEUE_URL_VARIABLES,
  tableVariable,
  TOPIC_ARN_VARIABLES,
  variablesOf,
  type FunctionName,
  type FunctionResources,
  type QueueName,
  type TableName,
  type TopicName,
} from '../../functions/compose/resources.js';
import { composeScheduler } from '../../functions/compose/scheduler.js';
import { composeWebSubCallback } from '../../functions/compose/websub.js';
import { composeWebSubRenewer } from '../../functions/compose/websub-renewer.js';
import { DEFAULT_SETTINGS } from '../../functions/handlers/deps.js';
import { createLogger } from '../../functions/shared/logger.js';
import { REPO_ROOT } from '../../infra/constructs/node-function.js';
import {
  actionsOf,
  environmentOf,
  mentionedLogicalIds,
  referencedLogicalId,
  resourcesOf,
  statementsOf,
  synthesizeTemplate,
  type FunctionId,
} from './template-helpers.js';

/** The construct id of each function in the stack; its Lambda entry is functions/lambda/<name>.ts. */
const FUNCTION_IDS: Record<FunctionName, FunctionId> = {
  scheduler: 'Scheduler',
  poller: 'Poller',
  matcher: 'Matcher',
  'match-snapshot': 'MatchSnapshot',
  deliverer: 'Deliverer',
  api: 'Api',
  digest: 'Digest',
  websub: 'WebSubCallback',
  'websub-renewer': 'WebSubRenewer',
};
const NAMES = Object.keys(FUNCTION_RESOURCES) as FunctionName[];

// ---------------------------------------------------------------------------------------------------------------
// 1. What each composition uses

interface Used {
  tables: Set<string>;
  queues: Set<string>;
  topics: Set<string>;
  publicUrl: boolean;
  unsubscribeSecret: boolean;
  deliveryDlqRedrive: boolean;
  snapshotBucket: boolean;
}

type AnyPlatform = Platform<{
  tables: Record<TableName, 'readWrite'>;
  queues: QueueName[];
  topics: TopicName[];
  publicUrl: true;
  unsubscribeSecret: true;
  deliveryDlqRedrive: true;
  snapshotBucket: 'readWrite';
}>;

/** A platform that notes every table, queue, topic and URL a composition asks for. */
function recordingPlatform(): { platform: AnyPlatform; used: Used } {
  const used: Used = { tables: new Set(), queues: new Set(), topics: new Set(), publicUrl: false, unsubscribeSecret: false, deliveryDlqRedrive: false, snapshotBucket: false };
  const platform: AnyPlatform = {
    doc: {} as AnyPlatform['doc'],
    table: (name) => (used.tables.add(name), `table-${name}`),
    queue: (name) => (used.queues.add(name), { send: async () => undefined }),
    topic: (name) => (used.topics.add(name), { publish: async () => undefined }),
    addressPolicy: { allowLoopback: false },
    settings: DEFAULT_SETTINGS,
    get publicUrl() {
      used.publicUrl = true;
      return () => 'https://api.example';
    },
    get unsubscribeSecret() {
      used.unsubscribeSecret = true;
      return 'a-recording-secret-of-thirty-two-chars';
    },
    get redriveDeliveryDlq() {
      used.deliveryDlqRedrive = true;
      return async () => ({});
    },
    get matchSnapshots() {
      used.snapshotBucket = true;
      return { read: async () => undefined, write: async () => undefined };
    },
  };
  return { platform, used };
}

const observability = { logger: createLogger('grants-test', 'SILENT') };
const COMPOSE: Record<FunctionName, (platform: AnyPlatform) => unknown> = {
  scheduler: (p) => composeScheduler(p, observability),
  poller: (p) => composePoller(p, observability),
  matcher: (p) => composeMatcher(p, observability),
  'match-snapshot': (p) => composeMatchSnapshot(p, observability),
  deliverer: (p) => composeDeliverer(p, observability, { alertSender: { send: async () => undefined } }),
  api: (p) => composeApi(p, observability),
  digest: (p) => composeDigest(p, observability),
  websub: (p) => composeWebSubCallback(p, observability),
  'websub-renewer': (p) => composeWebSubRenewer(p, observability),
};

describe('each composition uses exactly the resources its function is given', () => {
  it.each(NAMES)('%s', (name) => {
    // Prepare
    const { platform, used } = recordingPlatform();
    const resources: FunctionResources = FUNCTION_RESOURCES[name];

    // Act
    COMPOSE[name](platform);

    // Assess
    expect([...used.tables].sort()).toEqual(Object.keys(resources.tables).sort());
    expect([...used.queues].sort()).toEqual([...resources.queues].sort());
    expect([...used.topics].sort()).toEqual([...resources.topics].sort());
    expect(used.publicUrl).toBe(resources.publicUrl === true);
    expect(used.unsubscribeSecret).toBe(resources.unsubscribeSecret === true);
    expect(used.deliveryDlqRedrive).toBe(resources.deliveryDlqRedrive === true);
    expect(used.snapshotBucket).toBe(resources.snapshotBucket !== undefined);
  });

  it.each(NAMES)('builds the %s Lambda from its own entry of the table', (name) => {
    // The entry is read as text: importing it would start the function.
    const source = readFileSync(path.join(REPO_ROOT, 'functions', 'lambda', `${name}.ts`), 'utf8');
    const resourcesRef = /^[a-z]+$/.test(name) ? `FUNCTION_RESOURCES.${name}` : `FUNCTION_RESOURCES['${name}']`;

    expect(source).toContain(`awsFunction('${name}', ${resourcesRef}`);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 2. What the stack gives each function

const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const SETTING_VARIABLES = [
  'ARTICLE_RETENTION_DAYS',
  'STALE_FEED_HOURS',
  'SUBSCRIPTION_SCAN_SEGMENTS',
  'ALERTS_TOPIC_MESSAGES',
  'MATCHER_SHARD',
  'MATCHER_SHARD_COUNT',
];
const SNAPSHOT_READ_ACTIONS = ['s3:GetObject', 's3:ListBucket'];

let template: Template;
/** Logical id of every pipeline resource, by the variable that names it, as the stack's functions are told it. */
let targets: Map<string, string>;

beforeAll(() => {
  template = synthesizeTemplate('dev');
  targets = new Map();
  for (const id of Object.values(FUNCTION_IDS)) {
    for (const [variable, value] of Object.entries(environmentOf(template, id))) {
      const target = referencedLogicalId(value);
      if (target === undefined) continue;
      const known = targets.get(variable);
      if (known !== undefined && known !== target) throw new Error(`${variable} points at ${known} and ${target}`);
      targets.set(variable, target);
    }
  }
});

/** Every variable a function could be given to find a resource or a setting. */
function wiringVariables(): Set<string> {
  const all = new Set<string>(SETTING_VARIABLES);
  for (const resources of Object.values(FUNCTION_RESOURCES)) for (const variable of variablesOf(resources)) all.add(variable);
  return all;
}

function idOf(variable: string): string {
  const id = targets.get(variable);
  if (id === undefined) throw new Error(`no function of the stack is given ${variable}`);
  return id;
}

describe.each(NAMES)('the stack gives %s what its composition uses', (name) => {
  const resources: FunctionResources = FUNCTION_RESOURCES[name];
  const id = FUNCTION_IDS[name];

  it('passes exactly the variables its resources and settings name', () => {
    // Act
    const given = Object.keys(environmentOf(template, id)).filter((variable) => wiringVariables().has(variable));

    // Assess
    expect(given.sort()).toEqual([...variablesOf(resources), ...(resources.settings ?? [])].sort());
  });

  it('grants its tables and nothing else, writing only where it says readWrite', () => {
    // Prepare
    const tableNames = new Map<string, string>();
    for (const spec of TABLE_SPECS) tableNames.set(idOf(spec.envVar), spec.name);
    if (resources.idempotencyTable) tableNames.set(idOf('IDEMPOTENCY_TABLE'), 'idempotency');

    // Act
    const access: Record<string, 'read' | 'readWrite'> = {};
    for (const statement of statementsOf(template, id)) {
      const writes = actionsOf(statement).some((action) => TABLE_WRITE_ACTIONS.includes(action));
      for (const logicalId of mentionedLogicalIds(statement.Resource)) {
        const table = tableNames.get(logicalId);
        if (table === undefined) continue;
        access[table] = writes || access[table] === 'readWrite' ? 'readWrite' : 'read';
      }
    }

    // Assess
    expect(access).toEqual({ ...resources.tables, ...(resources.idempotencyTable ? { idempotency: 'readWrite' } : {}) });
    for (const table of Object.keys(resources.tables) as TableName[]) {
      expect(environmentOf(template, id)[tableVariable(table)], table).toEqual({ Ref: idOf(tableVariable(table)) });
    }
  });

  it('lets it send to its queues and publish to its topics, and to no other', () => {
    // Prepare
    const queueIds = new Map(Object.entries(QUEUE_URL_VARIABLES).map(([queue, variable]) => [idOf(variable), queue]));
    const topicIds = new Map(Object.entries(TOPIC_ARN_VARIABLES).map(([topic, variable]) => [idOf(variable), topic]));
    const sent = new Set<string>();
    const published = new Set<string>();
    const redriven = new Set<string>();
    const wildcardSends: unknown[] = [];

    // Act
    for (const statement of statementsOf(template, id)) {
      const actions = actionsOf(statement);
      const mentioned = [...mentionedLogicalIds(statement.Resource)];
      if (actions.includes('sqs:SendMessage')) {
        for (const logicalId of mentioned) if (queueIds.has(logicalId)) sent.add(queueIds.get(logicalId) ?? '');
        wildcardSends.push(...resourcesOf(statement).filter((resource) => typeof resource === 'string' && resource.includes('*')));
      }
      if (actions.includes('sqs:StartMessageMoveTask')) for (const logicalId of mentioned) redriven.add(queueIds.get(logicalId) ?? logicalId);
      if (actions.includes('sns:Publish')) for (const logicalId of mentioned) published.add(topicIds.get(logicalId) ?? logicalId);
    }

    // Assess
    expect([...sent].sort()).toEqual([...resources.queues].sort());
    expect([...published].sort()).toEqual([...resources.topics, ...(resources.alertsTopic ? ['alerts'] : [])].sort());
    expect([...redriven]).toEqual(resources.deliveryDlqRedrive ? ['deliveryDlq'] : []);
    expect(wildcardSends).toEqual(resources.subscriberQueues ? ['arn:aws:sqs:*:*:*'] : []);
  });

  it('lets it read the match snapshots only if it says so, and write them only where it says readWrite', () => {
    // Prepare
    const bucket = resources.snapshotBucket === undefined ? undefined : idOf('MATCH_SNAPSHOT_BUCKET');
    const actions = new Set<string>();

    // Act
    for (const statement of statementsOf(template, id)) {
      const s3Actions = actionsOf(statement).filter((action) => action.startsWith('s3:'));
      if (s3Actions.length === 0) continue;
      expect([...mentionedLogicalIds(statement.Resource)], 'an s3 grant on another resource').toEqual(bucket === undefined ? [] : [bucket]);
      for (const action of s3Actions) actions.add(action);
    }

    // Assess
    const expected = { read: SNAPSHOT_READ_ACTIONS, readWrite: [...SNAPSHOT_READ_ACTIONS, 's3:PutObject'] };
    expect([...actions].sort()).toEqual(resources.snapshotBucket === undefined ? [] : [...expected[resources.snapshotBucket]].sort());
    if (bucket !== undefined) expect(environmentOf(template, id).MATCH_SNAPSHOT_BUCKET).toEqual({ Ref: bucket });
  });
});

describe('the WebSub callback', () => {
  it('is given the story index table and may read and write it, as the poller is', () => {
    // Prepare
    const ingestTable = idOf('INGEST_TABLE');

    // Act
    const env = environmentOf(template, 'WebSubCallback');
    const writes = statementsOf(template, 'WebSubCallback').filter(
      (statement) => mentionedLogicalIds(statement.Resource).has(ingestTable) && actionsOf(statement).includes('dynamodb:PutItem'),
    );

    // Assess
    expect(env.INGEST_TABLE).toEqual({ Ref: ingestTable });
    expect(environmentOf(template, 'Poller').INGEST_TABLE).toEqual({ Ref: ingestTable });
    expect(writes.flatMap(actionsOf)).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem']));
  });
});
