// What every `newsalert` command shares: its streams, its argument parser, and the error for a wrong command line.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line that does not make sense: main prints it with the usage and exits 2. */
export class UsageError extends Error {}

export type Io = {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The API key of API commands, from --api-key (taken off the arguments by main). */
  apiKey?: string;
  /** --json was given to an API command: an answer without a body is printed as {"status": N} too. */
  json?: boolean;
};

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
