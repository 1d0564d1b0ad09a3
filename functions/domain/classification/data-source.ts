// Where the classifier's data files come from. The domain never touches the file system: an adapter
// (functions/adapters/classifier.ts) installs a reader once per process, and each model or table is read
// through it on first use and decoded by a pure function of its bytes. This is the one place to swap the loader.

/** Returns the raw bytes of one data file (a name such as "lid.176.ftz"), or throws when it is missing. */
export type ClassifierDataReader = (name: string) => Uint8Array;

export class ClassifierDataError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClassifierDataError';
  }
}

let reader: ClassifierDataReader | undefined;
const onInstall: (() => void)[] = [];

/** Installs the reader; decoded data read through an earlier reader is dropped. */
export function installClassifierDataReader(next: ClassifierDataReader): void {
  reader = next;
  for (const reset of onInstall) reset();
}

/** True once a reader is installed. */
export function hasClassifierDataReader(): boolean {
  return reader !== undefined;
}

/** The bytes of one data file, through the installed reader. */
export function readClassifierData(name: string): Uint8Array {
  if (reader === undefined) {
    throw new ClassifierDataError(
      `classifier data "${name}" requested before a reader was installed (import functions/adapters/classifier.ts)`,
    );
  }
  try {
    return reader(name);
  } catch (error) {
    if (error instanceof ClassifierDataError) throw error;
    throw new ClassifierDataError(`classifier data "${name}" could not be read`, { cause: error });
  }
}

/**
 * A value decoded from one data file on first use and kept for the life of the process (a Lambda container), until a
 * new reader is installed.
 */
export function lazyData<T>(name: string, decode: (bytes: Uint8Array) => T): () => T {
  let value: T | undefined;
  let loaded = false;
  onInstall.push(() => {
    loaded = false;
    value = undefined;
  });
  return () => {
    if (!loaded) {
      value = decode(readClassifierData(name));
      loaded = true;
    }
    return value as T;
  };
}
