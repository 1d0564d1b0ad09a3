// functions/domain stays pure (STYLE.md): the lint rule in eslint.config.js is what keeps it so, and this holds the
// rule to what it must refuse. The code is linted as if it were a file at the given path; type-aware parsing is
// turned off because such a file is in no TypeScript project (the purity rules need no types).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });

async function findings(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? 'parse'}@${message.line}`);
}

const IMPURE = [
  "import { readFileSync } from 'node:fs';",
  "import { connect } from 'net';",
  "import { SQSClient } from '@aws-sdk/client-sqs';",
  "import { Logger } from '@aws-lambda-powertools/logger';",
  "import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';",
  "import { pollFeed } from '#handlers/poller.js';",
  "import { readEnv } from '#shared/env.js';",
  "import { startLocalRuntime } from '#local/runtime.js';",
  "import { DynamoFeedRepository } from '../../adapters/dynamo/feeds-repository.js';",
  'export const table = process.env.FEEDS_TABLE;',
  'export const { env } = process;',
];

describe('the domain purity rule', () => {
  it.each(['functions/domain/probe.ts', 'functions/domain/classification/probe.ts'])('refuses every way out of the domain in %s', async (file) => {
    // Act
    const perLine = await Promise.all(IMPURE.map((line) => findings(`${line}\n`, file)));

    // Assess
    perLine.forEach((found, index) => expect(found, IMPURE[index]).not.toEqual([]));
  });

  it('lets the domain import itself, zod, node:crypto and JSON data with import attributes', async () => {
    const code = [
      "import { createHash } from 'node:crypto';",
      "import * as z from 'zod';",
      "import treeJson from './data/topic-tree.json' with { type: 'json' };",
      "import type { TopicCode } from '#domain/types.js';",
      "import { tokenize } from '../classification/tokenize.js';",
      'export const used: unknown[] = [createHash, z, treeJson, tokenize];',
      'export type Code = TopicCode;',
      '',
    ].join('\n');
    expect(await findings(code, 'functions/domain/classification/probe.ts')).toEqual([]);
  });

  it('leaves adapters free to talk to the outside', async () => {
    const code = ["import { readFileSync } from 'node:fs';", "import { SQSClient } from '@aws-sdk/client-sqs';", 'export const used = [readFileSync, SQSClient, process.env.X];', ''].join('\n');
    expect(await findings(code, 'functions/adapters/probe.ts')).toEqual([]);
  });
});
