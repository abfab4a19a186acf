/**
 * The outbound sequence of a channel MCP session (docs/protocol.md §13): server messages wake the
 * waiting poll at once, responses ride in their own replies, nothing acknowledged is kept, and
 * a lost reply or an overflow is answered by a complete poll the connector can skip a gap on.
 */
import { describe, expect, it } from 'vitest';
import { ChannelOutbox, OUTBOX_LIMIT } from './channel-outbox';

const note = (n: number) => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: n } });
const answer = (id: number) => ({ jsonrpc: '2.0', id, result: {} });

describe('ChannelOutbox', () => {
  it('a server message answers the waiting poll at once; a response does not wake it', async () => {
    const box = new ChannelOutbox();
    const poll = box.poll(0, false, 10_000);
    expect(box.push(answer(1), true)).toEqual({ seq: 1, message: answer(1) });
    let settled = false;
    void poll.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    box.push(note(1), false);
    expect(await poll).toEqual({ messages: [{ seq: 2, message: note(1) }] });
  });

  it('a message is polled once; acknowledged ones are gone; a poll timeout sends every retained one, complete', async () => {
    const box = new ChannelOutbox();
    box.push(note(1), false);
    box.push(answer(7), true);
    expect((await box.poll(0, false, 10_000)).messages.map((m) => m.seq)).toEqual([1]);
    // Nothing fresh: the next poll waits, then answers with all that was not acknowledged.
    expect(await box.poll(1, false, 30)).toEqual({ messages: [{ seq: 2, message: answer(7) }], complete: true });
    box.ack(2);
    expect(await box.poll(2, false, 30)).toEqual({ messages: [] });
  });

  it('resync (a reply was lost) answers at once with everything after the ack', async () => {
    const box = new ChannelOutbox();
    box.push(note(1), false);
    await box.poll(0, false, 10_000);
    box.push(answer(3), true);
    expect(await box.poll(0, true, 10_000)).toEqual({ messages: [{ seq: 1, message: note(1) }, { seq: 2, message: answer(3) }], complete: true });
  });

  it('a newer poll answers the older one, empty', async () => {
    const box = new ChannelOutbox();
    const old = box.poll(0, false, 10_000);
    const next = box.poll(0, false, 10_000);
    expect(await old).toEqual({ messages: [] });
    box.push(note(1), false);
    expect((await next).messages).toHaveLength(1);
  });

  it(`past ${OUTBOX_LIMIT} unacknowledged messages the oldest go, and the next poll is complete from the oldest kept`, async () => {
    const box = new ChannelOutbox();
    for (let i = 1; i <= OUTBOX_LIMIT + 5; i++) box.push(answer(i), true);
    const reply = await box.poll(0, false, 10_000);
    expect(reply.complete).toBe(true);
    expect(reply.messages[0]!.seq).toBe(6);
    expect(reply.messages).toHaveLength(OUTBOX_LIMIT);
  });

  it('an ended session answers its waiting poll with what is left', async () => {
    const box = new ChannelOutbox();
    box.push(answer(1), true);
    const poll = box.poll(0, false, 10_000);
    box.end();
    expect(await poll).toEqual({ messages: [{ seq: 1, message: answer(1) }], complete: true });
  });
});
