/** Argument parsing shared by the commands: strict `node:util` parsing, usage errors exit 2. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage error: the CLI prints the message and the command's help hint, then exits 2. */
export class UsageError extends Error {}

/** Output streams, injectable for tests. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Parses strictly; unknown options or missing values become a `UsageError`. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
