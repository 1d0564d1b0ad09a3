// The local runtime's secrets: the first admin API key, the unsubscribe-link key and the key that seals channel
// secrets in the store. With a data directory they persist next to the store (mode 0600), so a restart keeps the
// CLI's key, the links in old alerts and the sealed secrets working; in memory they live as long as the process.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createChannelSecretCodec, generateChannelSecretKey, type ChannelSecretCodec } from '#adapters/dynamo/channel-secrets.js';
import type { LocalDynamo } from '#adapters/dynamo/local-dynamo.js';
import { resealChannelSecrets } from '#adapters/dynamo/reseal-subscriptions.js';
import { generateApiKey, keyIdOf, verifyApiKey } from '#domain/api-key.js';
import { NewsalertError } from '#domain/errors.js';
import type { ApiKeyRepository } from '#domain/ports.js';

export const ADMIN_KEY_FILE = 'admin-key';
const UNSUBSCRIBE_SECRET_FILE = 'unsubscribe-secret';
export const STORE_KEY_FILE = 'store-key';

function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  // writeFileSync's mode applies only when it creates the file; an existing one keeps its old mode otherwise.
  chmodSync(path, 0o600);
}

function readTrimmed(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

export interface AdminKey {
  key: string;
  /** True when this start created it (print it: it is shown once). */
  created: boolean;
  /** Where it was written, with a data directory. */
  path?: string;
}

/**
 * The admin key of the local runtime: the one in `<dataDir>/admin-key` while the store still accepts it, else a new
 * one, stored hashed and written there. A store that holds other keys keeps them: this only adds.
 */
export async function ensureLocalAdminKey(apiKeys: ApiKeyRepository, dataDir: string | undefined, now: Date): Promise<AdminKey> {
  const path = dataDir === undefined ? undefined : join(dataDir, ADMIN_KEY_FILE);
  const saved = path === undefined ? undefined : readTrimmed(path);
  if (saved !== undefined) {
    const keyId = keyIdOf(saved);
    if (keyId !== undefined && verifyApiKey(saved, await apiKeys.get(keyId))?.scope === 'admin') return { key: saved, created: false, ...(path ? { path } : {}) };
  }
  const { key, record } = generateApiKey({ scope: 'admin', name: 'local runtime bootstrap' }, { now, randomBytes: (n) => randomBytes(n) });
  await apiKeys.create(record);
  if (path !== undefined) writePrivate(path, key + '\n');
  return { key, created: true, ...(path ? { path } : {}) };
}

/** The HMAC key of unsubscribe links: persisted with the store, so links in alerts already sent keep working. */
export function ensureLocalUnsubscribeSecret(dataDir: string | undefined): string {
  const fresh = () => randomBytes(32).toString('base64url');
  if (dataDir === undefined) return fresh();
  const path = join(dataDir, UNSUBSCRIBE_SECRET_FILE);
  const saved = readTrimmed(path);
  if (saved !== undefined && saved.length >= 32) return saved;
  const secret = fresh();
  writePrivate(path, secret + '\n');
  return secret;
}

/** The key the CLI uses by default: the local runtime's admin key file. */
export function readLocalAdminKey(dataDir: string): string | undefined {
  return readTrimmed(join(dataDir, ADMIN_KEY_FILE));
}

export interface StoreKey {
  key: Buffer;
  /** Where it is kept, with a data directory: named in errors about secrets it cannot open. */
  path?: string;
}

/**
 * The AES-256 key that seals webhook and Slack secrets in the store (channel-secrets.ts), created on first start.
 * A key file that is there but unreadable stops the start: replacing it would lock every sealed secret away.
 */
export function ensureLocalStoreKey(dataDir: string | undefined): StoreKey {
  if (dataDir === undefined) return { key: generateChannelSecretKey() };
  const path = join(dataDir, STORE_KEY_FILE);
  const saved = readTrimmed(path);
  if (saved === undefined) {
    const key = generateChannelSecretKey();
    writePrivate(path, key.toString('base64url') + '\n');
    return { key, path };
  }
  const key = Buffer.from(saved, 'base64url');
  if (key.length !== 32 || key.toString('base64url') !== saved) {
    throw new NewsalertError(`${path} does not hold a store key (32 bytes, base64url); restore it from a backup of the data directory`);
  }
  return { key, path };
}

/**
 * The codec the local subscriptions repository seals channel secrets with. A store from before sealing gets its
 * plain secrets sealed now, then compacted so that the plain copies leave the LevelDB files too.
 */
export async function openLocalChannelSecrets(
  store: Pick<LocalDynamo, 'compact'>,
  doc: DynamoDBDocumentClient,
  subscriptionsTable: string,
  dataDir: string | undefined,
): Promise<ChannelSecretCodec> {
  const { key, path } = ensureLocalStoreKey(dataDir);
  const codec = createChannelSecretCodec(key, path === undefined ? "this process's store key" : `the store key in ${path}`);
  if (dataDir !== undefined && (await resealChannelSecrets(doc, subscriptionsTable, codec)).resealed > 0) await store.compact();
  return codec;
}
