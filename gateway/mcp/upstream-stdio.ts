/**
 * One upstream MCP session over stdio: a child process speaking newline-delimited JSON-RPC both
 * ways (MCP stdio transport). The process is the session: it starts here and is stopped when the
 * session ends.
 */
import { spawn } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { MAX_EVENT_CHARS, parseMessage } from './sse';
import { describeFailure, type UpstreamConnection, type UpstreamEvents } from './upstream-connection';

/** How to start the server. */
export interface StdioUpstreamDeps {
  readonly slug: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Non-secret env plus decrypted credentials; never logged. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly events: UpstreamEvents;
  /** Told when the process could not be started. */
  readonly onConnectFailed: (reason: string) => void;
}

/** Grace between SIGTERM and SIGKILL when a session ends. */
const KILL_GRACE_MS = 2000;

/** Starts the process now. */
export function createStdioUpstream(deps: StdioUpstreamDeps): UpstreamConnection {
  // stderr is dropped: it may echo the credentials the server was started with.
  const child = spawn(deps.command, [...deps.args], { env: { ...getDefaultEnvironment(), ...deps.env } as NodeJS.ProcessEnv, cwd: deps.cwd, stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true });
  let ended = false;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    deps.events.closed(reason);
  };
  child.once('error', (e) => {
    if (child.pid === undefined) deps.onConnectFailed(describeFailure(e));
    end(`upstream ${deps.slug} could not be started (${describeFailure(e)})`);
  });
  child.once('exit', (code, signal) => end(`upstream ${deps.slug} exited (${signal ?? `code ${code}`})`));
  child.stdin.on('error', () => undefined); // a dead pipe surfaces as the exit above
  child.stdout.setEncoding('utf8');
  let line = '';
  child.stdout.on('data', (chunk: string) => {
    let at = chunk.indexOf('\n');
    if (at < 0) {
      line += chunk;
      if (line.length > MAX_EVENT_CHARS) child.kill('SIGKILL');
      return;
    }
    let start = 0;
    while (at >= 0) {
      const m = parseMessage(line + chunk.slice(start, at));
      line = '';
      if (m && !ended) deps.events.message(m);
      start = at + 1;
      at = chunk.indexOf('\n', start);
    }
    line = chunk.slice(start);
  });

  return {
    pid: child.pid,
    tellsRelated: false,
    async send(m) {
      if (!ended) child.stdin.write(`${JSON.stringify(m)}\n`);
    },
    drop: () => undefined,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
