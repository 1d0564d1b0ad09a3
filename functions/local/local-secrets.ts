// The local runtime's two secrets: the first admin API key and the unsubscribe-link key. With a data directory both
// persist next to the store (mode 0600), so a restart keeps the CLI's key and the links in old alerts working;
// in memory they live as long as the process.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateApiKey, keyIdOf, verifyApiKey } from '#domain/api-key.js';
import type { ApiKeyRepository } from '#domain/ports.js';

export const ADMIN_KEY_FILE = 'admin-key';
const UNSUBSCRIBE_SECRET_FILE = 'unsubscribe-secret';

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
