// Secrets at rest in the local runtime's data directory (issue 16): the directory is 0700 and every file in it 0600,
// LevelDB's own files included (those it writes later too), and no webhook secret or Slack URL is in plain text in
// any of them, after subscriptions are created and alerts delivered, and after an older store is opened.
// LevelDB compresses its table files (Snappy), which can turn a repeated "whsec_" into a back-reference: so besides
// "whsec_" the files are searched for the random part of every secret, which no compressor shortens.
import { chmodSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { closeServer, startRecordingReceiver, type RecordedRequest } from '../helpers/http.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { buildSubscription } from './dynamo/fixtures.js';
import { startLocalTables } from './dynamo/local-tables.js';

const SLACK_TOKEN = randomBytes(18).toString('base64url');
const SLACK_URL = `https://hooks.slack.com/services/T0000/B0000/${SLACK_TOKEN}`;

interface TreeEntry {
  path: string;
  mode: number;
  directory: boolean;
}

function walk(dir: string): TreeEntry[] {
  const entries: TreeEntry[] = [{ path: dir, mode: statSync(dir).mode & 0o777, directory: true }];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) entries.push(...walk(path));
    else entries.push({ path, mode: statSync(path).mode & 0o777, directory: false });
  }
  return entries;
}

/** The files of the tree that contain any of `texts`, read as bytes (LevelDB's .log, .ldb and MANIFEST included). */
function filesContaining(dir: string, ...texts: string[]): string[] {
  return walk(dir)
    .filter((entry) => !entry.directory && texts.some((text) => readFileSync(entry.path).includes(text)))
    .map((entry) => entry.path);
}

/** What to look for in the files: the "whsec_" prefix and the random part of each secret. */
function secretTexts(secrets: string[]): string[] {
  return ['whsec_', ...secrets.map((secret) => secret.replace(/^whsec_/, ''))];
}

function modesOf(dir: string): { directories: string[]; files: string[] } {
  const entries = walk(dir);
  const show = (entry: TreeEntry) => `${entry.mode.toString(8)} ${entry.path.slice(dir.length) || '/'}`;
  return { directories: entries.filter((e) => e.directory).map(show), files: entries.filter((e) => !e.directory).map(show) };
}

describe('the local data directory', () => {
  let dataDir: string;
  let receiver: { server: Server; url: string; received: RecordedRequest[] };

  beforeAll(async () => {
    receiver = await startRecordingReceiver();
  });
  afterAll(async () => {
    await closeServer(receiver.server);
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is private, and holds no webhook secret or Slack URL in plain text after subscriptions and deliveries', async () => {
    // Prepare
    dataDir = join(await mkdtemp(join(tmpdir(), 'newsalert-at-rest-')), 'data');
    const runtime = await startTestRuntime({ dataDir, demo: true });
    const created = await fetch(`${runtime.url}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${runtime.adminKey.key}` },
      body: JSON.stringify({ name: 'Germany', countries: ['de'], channel: { type: 'webhook', url: receiver.url } }),
    });
    const { channel } = (await created.json()) as { channel: { secret: string } };
    // Matches nothing, so nothing is sent to Slack: only its URL is stored.
    await runtime.deps.subscriptions.put(
      buildSubscription({ subscriptionId: 'slack-at-rest', keywords: ['zzqx-no-such-word'], channel: { type: 'slack', webhookUrl: SLACK_URL } }),
    );

    // Act
    await runtime.tick();
    await runtime.settle(20_000);
    const demoVerified = runtime.receiver.alerts.filter((alert) => alert.verified).length;
    const demoRejected = runtime.receiver.alerts.filter((alert) => !alert.verified).length;
    await runtime.stop();
    // Reopening makes LevelDB turn its log into table files: files written after the store was opened.
    const reopened = await startTestRuntime({ dataDir });
    const slack = await reopened.deps.subscriptions.get('slack-at-rest');
    const secrets = (await reopened.deps.subscriptions.list()).flatMap((s) => (s.channel.type === 'webhook' ? [s.channel.secret] : []));
    await reopened.stop();

    // Assess
    expect(created.status).toBe(201);
    expect(receiver.received.length).toBeGreaterThan(0);
    const verifier = new Webhook(channel.secret);
    for (const request of receiver.received) expect(() => verifier.verify(request.body, request.headers)).not.toThrow();
    expect(demoVerified).toBeGreaterThan(0);
    expect(demoRejected).toBe(0);
    expect(slack?.channel).toEqual({ type: 'slack', webhookUrl: SLACK_URL });
    const modes = modesOf(dataDir);
    expect(modes.files.some((file) => file.endsWith('.ldb'))).toBe(true);
    expect(modes.directories.every((line) => line.startsWith('700 '))).toBe(true);
    expect(modes.files.filter((line) => !line.startsWith('600 '))).toEqual([]);
    expect(secrets).toHaveLength(6);
    expect(secrets).toContain(channel.secret);
    expect(filesContaining(dataDir, ...secretTexts(secrets))).toEqual([]);
    expect(filesContaining(dataDir, SLACK_TOKEN)).toEqual([]);
  });

  it('made by an older version (0755, 0644, plain secrets) becomes private and sealed when the runtime opens it', async () => {
    // Prepare
    dataDir = join(await mkdtemp(join(tmpdir(), 'newsalert-at-rest-')), 'data');
    const secret = 'whsec_' + randomBytes(24).toString('base64');
    const old = await startLocalTables('newsalert', { path: join(dataDir, 'dynamodb') });
    await new DynamoSubscriptionRepository(old.doc, old.names.subscriptions).put(
      buildSubscription({ subscriptionId: 'old-webhook', channel: { type: 'webhook', url: receiver.url, secret } }),
    );
    await old.close();
    for (const entry of walk(dataDir)) chmodSync(entry.path, entry.directory ? 0o755 : 0o644);
    const plainBefore = filesContaining(dataDir, ...secretTexts([secret]));

    // Act
    const runtime = await startTestRuntime({ dataDir });
    const read = await runtime.deps.subscriptions.get('old-webhook');
    await runtime.stop();

    // Assess
    expect(plainBefore.length).toBeGreaterThan(0);
    expect(read?.channel).toMatchObject({ type: 'webhook', secret });
    const modes = modesOf(dataDir);
    expect(modes.directories.every((line) => line.startsWith('700 '))).toBe(true);
    expect(modes.files.filter((line) => !line.startsWith('600 '))).toEqual([]);
    expect(filesContaining(dataDir, ...secretTexts([secret]))).toEqual([]);
  });
});
