/**
 * The connector delivers server messages strictly in the gateway's sequence (docs/protocol.md
 * §13): a response whose reply record arrives before the poll that carries its progress waits
 * for it, and a complete poll answer lets it skip numbers the gateway no longer has.
 */
import { describe, expect, it } from 'vitest';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { ReplyEnvelope } from '../mcp/channel-envelope';
import { relay, type Connector } from './connector';

type Message = Record<string, unknown>;

/** A connector whose replies the test scripts; `polls` are answered in order, each after its delay. */
function scripted(replies: Record<string, ReplyEnvelope>, polls: { after: number; reply: ReplyEnvelope }[]): Connector & { acks: number[] } {
  const acks: number[] = [];
  let n = 0;
  return {
    server: 'test',
    channel: undefined as never,
    acks,
    send: async () => [],
    exchange: async (m: Message, ack: number) => (acks.push(ack), replies[String(m.method)] ?? { messages: [] }),
    poll: async (ack: number) => {
      acks.push(ack);
      const next = polls[n++];
      if (!next) return new Promise<ReplyEnvelope>(() => undefined);
      await new Promise((r) => setTimeout(r, next.after));
      return next.reply;
    },
    close: async () => undefined,
  };
}

async function run(connector: Connector, sends: Message[], want: number): Promise<Message[]> {
  const [client, local] = InMemoryTransport.createLinkedPair();
  const got: Message[] = [];
  client.onmessage = (m) => void got.push(m as Message);
  await client.start();
  void relay(connector, local);
  for (const m of sends) await client.send(m as never);
  const end = Date.now() + 2000;
  while (got.length < want && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  await client.close();
  return got;
}

const init = { jsonrpc: '2.0', id: 0, method: 'initialize', params: {} };
const initReply: ReplyEnvelope = { messages: [{ seq: 1, message: { jsonrpc: '2.0', id: 0, result: {} } }] };
const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } };
const result = { jsonrpc: '2.0', id: 1, result: { content: [] } };

describe('relay delivers in sequence', () => {
  it('a response that overtook its progress on the network waits for it', async () => {
    const connector = scripted({ initialize: initReply, 'tools/call': { messages: [{ seq: 3, message: result }] } }, [{ after: 80, reply: { messages: [{ seq: 2, message: progress }] } }]);
    const got = await run(connector, [init, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } }], 3);
    expect(got.map((m) => ('method' in m ? m.method : m.id))).toEqual([0, 'notifications/progress', 1]);
  });

  it('a complete poll answer skips numbers the gateway dropped', async () => {
    const connector = scripted({ initialize: initReply }, [{ after: 10, reply: { messages: [{ seq: 5, message: progress }], complete: true } }]);
    const got = await run(connector, [init], 2);
    expect(got.map((m) => ('method' in m ? m.method : m.id))).toEqual([0, 'notifications/progress']);
  });

  it('acknowledges what it delivered on the next poll', async () => {
    const connector = scripted({ initialize: initReply }, [{ after: 5, reply: { messages: [{ seq: 2, message: progress }] } }]);
    await run(connector, [init], 2);
    await new Promise((r) => setTimeout(r, 30));
    expect(connector.acks).toEqual([0, 1, 2]);
  });
});
