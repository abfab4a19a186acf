/** The `pqgate` command line: dispatches to one module per command. */
import { GatewayError } from '../errors';
import { UsageError, type CliIo } from './args';
import { main as audit } from './audit';
import { connectCommand } from './connect';
import { keygen } from './keygen';
import { pubkey } from './pubkey';
import { rotate } from './rotate';
import { witness } from './witness';

const HELP = `usage: pqgate <command> [options]

commands:
  keygen    create an identity key (ML-DSA-65 by default)
  pubkey    print an identity's public key, to enroll it in the console
  connect   run as a stdio MCP server relaying to the gateway over the post-quantum channel
  rotate    replace your identity key (signed by the old and new key; an approver approves)
  audit     verify an audit bundle offline (pqgate audit verify <bundle.json> --key <key>)
  witness   run a tlog witness that cosigns the audit log's checkpoints (keygen, serve)

Run pqgate <command> --help for its options.`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => number | Promise<number>> = { keygen, pubkey, connect: connectCommand, audit: (args, io) => audit(args, io), rotate: (args, io) => rotate(args, io), witness };

const defaultIo: CliIo = { out: (t) => void process.stdout.write(`${t}\n`), err: (t) => void process.stderr.write(`${t}\n`) };

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 bad usage). */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`pqgate: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`pqgate ${command}: ${e.message}\nRun pqgate ${command} --help for usage.`);
      return 2;
    }
    io.err(`pqgate ${command}: ${e instanceof GatewayError ? e.message : (e as Error).message}`);
    return 1;
  }
}
