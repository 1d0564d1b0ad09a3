// Where match index snapshots live: an S3 bucket in AWS, files in the data directory locally. Both replace a
// snapshot whole (S3 PUT is atomic per object; a file is written beside and renamed over), so a reader gets the old
// snapshot or the new one, never half of one.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { MatchSnapshotStore } from '#domain/ports.js';
import { isErrorNamed } from './dynamo/dynamo-errors.js';

/** Snapshot keys are ours (snapshotKeyOf), but a path never leaves the directory whatever it is handed. */
function safeRelative(key: string): string {
  if (!/^[A-Za-z0-9._/-]+$/.test(key) || key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new RangeError(`not a snapshot key: ${JSON.stringify(key)}`);
  }
  return key;
}

export class FileSnapshotStore implements MatchSnapshotStore {
  constructor(private readonly directory: string) {}

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(join(this.directory, safeRelative(key)));
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(key: string, bytes: Uint8Array): Promise<void> {
    const path = join(this.directory, safeRelative(key));
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  }
}

/** In memory: tests, and the local runtime without a data directory. */
export class MemorySnapshotStore implements MatchSnapshotStore {
  readonly snapshots = new Map<string, Uint8Array>();

  read(key: string): Promise<Uint8Array | undefined> {
    const bytes = this.snapshots.get(key);
    // A copy: decoding uses the bytes in place, and the next reader must get them as written.
    return Promise.resolve(bytes === undefined ? undefined : bytes.slice());
  }

  write(key: string, bytes: Uint8Array): Promise<void> {
    this.snapshots.set(key, bytes.slice());
    return Promise.resolve();
  }
}

export class S3SnapshotStore implements MatchSnapshotStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: safeRelative(key) }));
      return result.Body === undefined ? undefined : await result.Body.transformToByteArray();
    } catch (error) {
      if (isErrorNamed(error, 'NoSuchKey')) return undefined;
      throw error;
    }
  }

  async write(key: string, bytes: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: safeRelative(key), Body: bytes, ContentType: 'application/octet-stream' }),
    );
  }
}
