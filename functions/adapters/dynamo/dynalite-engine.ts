// dynalite, loaded with two fixes to the LevelDB engine under it. Without them the local runtime's memory grows with
// every request it has ever served (issue 16):
//
// 1. Iterators are never closed. dynalite turns each Query and Scan into a stream over `db.values()` and, when the
//    stream ends or is cut short (Limit, 1 MB page), calls `iterator.return()` to release it. abstract-level 3
//    iterators have `close()`, not `return()`, so every iterator stays open: registered in the database's set of
//    open resources (JavaScript heap) and holding a native LevelDB iterator and its snapshot (rss). Measured over
//    20,000 queries of a 20-item partition on the persisted store: rss 106 -> 679 MB, heap after GC 13 -> 174 MB;
//    with the fix, rss 111 -> 170 MB (flat after the first few thousand) and heap 13 -> 15 MB. The fix gives each
//    iterator of this store's database the `return()` dynalite calls; an engine that brings its own is left alone.
// 2. The in-memory store keeps keys and values as Node Buffers. A small Buffer.from() is a slice of a shared 8 KB
//    pool, so each small key the store keeps can keep a whole pool slab alive: 5,000 small items, each written
//    between 3 KB reads, held 41 MB of ArrayBuffers (8.2 KB an item). memory-level's `storeEncoding: 'view'` stores
//    plain Uint8Arrays of their own size instead, in the same byte order: 1 MB for the same 5,000.
//
// Both are scoped to the databases dynalite opens through this module; nothing else in the process is patched.
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { DynaliteOptions } from 'dynalite';

interface LevelIterator {
  close(): Promise<void>;
  return?: () => Promise<void>;
}

interface LevelDatabase {
  values(options?: unknown): LevelIterator;
  keys(options?: unknown): LevelIterator;
  /** classic-level only (the persisted store). */
  compactRange?: (start: string, end: string) => Promise<void>;
}

interface DynaliteStore {
  db: LevelDatabase;
}

interface DynaliteDbModule {
  create(options: DynaliteOptions): DynaliteStore;
}

type MemoryLevelClass = new (options?: Record<string, unknown>) => object;

type Dynalite = (options: DynaliteOptions) => Server;

export interface DynaliteEngine {
  /** The dynalite server, not yet listening. */
  server: Server;
  /**
   * Compacts the persisted store, so that values overwritten or deleted leave its files (LevelDB keeps them in
   * older files until a compaction reaches them). A no-op in memory.
   */
  compact: () => Promise<void>;
}

let engine: Dynalite | undefined;
/** The database of the store dynalite is creating: set by the patched create() during createDynaliteServer. */
let created: LevelDatabase | undefined;

/** A dynalite server whose store releases what each request used. */
export function createDynaliteServer(options: DynaliteOptions): DynaliteEngine {
  const dynalite = loadEngine();
  created = undefined;
  const server = dynalite(options);
  const db = created as LevelDatabase | undefined;
  if (db === undefined) throw new Error('dynalite created no store through the patched engine');
  return {
    server,
    // Every key of the store: dynalite's keys are prefixed strings (table~..., item-<table>~...), all below U+FFFF.
    compact: async () => db.compactRange?.('', '\uffff'),
  };
}

function loadEngine(): Dynalite {
  if (engine !== undefined) return engine;
  // Resolve everything from dynalite's own folder, so the modules patched are the ones it loads.
  const dynaliteRequire = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const memoryLevel = dynaliteRequire('memory-level') as { MemoryLevel: MemoryLevelClass };
  const OriginalMemoryLevel = memoryLevel.MemoryLevel;
  class ViewMemoryLevel extends OriginalMemoryLevel {
    constructor(options: Record<string, unknown> = {}) {
      super({ storeEncoding: 'view', ...options });
    }
  }
  // dynalite's db module takes MemoryLevel from memory-level's exports when it is first loaded: swap it in for that
  // load only, so any other user of memory-level in the process keeps the original.
  memoryLevel.MemoryLevel = ViewMemoryLevel;
  let dbModule: DynaliteDbModule;
  try {
    dbModule = dynaliteRequire('./db') as DynaliteDbModule;
  } finally {
    memoryLevel.MemoryLevel = OriginalMemoryLevel;
  }
  const create = dbModule.create.bind(dbModule);
  dbModule.create = (storeOptions) => {
    const store = create(storeOptions);
    if (storeOptions.path === undefined && !(store.db instanceof ViewMemoryLevel)) {
      throw new Error('dynalite was loaded before functions/adapters/dynamo/dynalite-engine.ts could fix its memory store; load it only through this module');
    }
    releaseIteratorsOnReturn(store.db);
    created = store.db;
    return store;
  };
  engine = dynaliteRequire('./index.js') as Dynalite;
  return engine;
}

function releaseIteratorsOnReturn(db: LevelDatabase): void {
  for (const method of ['values', 'keys'] as const) {
    const open = db[method].bind(db);
    db[method] = (options?: unknown) => {
      const iterator = open(options);
      if (typeof iterator.return !== 'function') iterator.return = () => iterator.close();
      return iterator;
    };
  }
}
