import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTrafficJournal } from './traffic-journal';
import { clinicCall } from './traffic-test-data';

const dirs: string[] = [];
function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'pqgate-journal-'));
  dirs.push(d);
  return join(d, 'replica-a');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const calls = (n: number, from = 0) => Array.from({ length: n }, (_, i) => clinicCall('id-1', 'read_chart', 'allow', from + i));
const lines = (dir: string) => readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));

describe('the traffic journal', () => {
  it('has every event on file once append resolves, one group per turn of the event loop', async () => {
    const dir = folder();
    const journal = openTrafficJournal({ folder: dir });
    const events = calls(100);
    const appended = events.map((e) => journal.append(e));
    expect(new Set(appended).size).toBe(1);
    await Promise.all(appended);
    expect(lines(dir).map((l) => JSON.parse(l).requestId)).toEqual(events.map((e) => e.requestId));
    journal.close();
  });

  it('deletes a segment once all its events are stored, and keeps one that is not', async () => {
    const dir = folder();
    const journal = openTrafficJournal({ folder: dir, segmentEvents: 10 });
    const events = calls(25);
    for (const group of [events.slice(0, 10), events.slice(10, 20), events.slice(20)]) await Promise.all(group.map((e) => journal.append(e)));
    expect(readdirSync(dir)).toHaveLength(3);
    journal.stored(events.slice(0, 10));
    expect(readdirSync(dir)).toHaveLength(2);
    journal.stored(events.slice(10, 19));
    expect(readdirSync(dir)).toHaveLength(2);
    journal.stored(events.slice(19));
    expect(readdirSync(dir)).toEqual([]);
    journal.close();
  });

  it('hands back what an earlier run left unstored, skipping a torn last line, and says so', async () => {
    const dir = folder();
    const first = openTrafficJournal({ folder: dir });
    const events = [...calls(5), { ...clinicCall('id-2', 'x\u0000y\uD800', 'deny', 9) }];
    await Promise.all(events.map((e) => first.append(e)));
    first.stored(events.slice(0, 2));
    // A crash: no close. The kernel had a line only half written.
    const [segment] = readdirSync(dir);
    appendFileSync(join(dir, segment!), '{"requestId":"torn","upst');
    const said: string[] = [];
    const second = openTrafficJournal({ folder: dir, onError: (m) => said.push(m) });
    // Stored events are handed back too: the store skips their request ids.
    expect(second.recovered().map((e) => e.requestId)).toEqual(events.map((e) => e.requestId));
    // Journaled as it is stored: storable, with the change named.
    expect(second.recovered()[5]).toMatchObject({ tool: 'x\uFFFDy\uFFFD', sanitized: ['tool', 'rule'] });
    expect(said.join('\n')).toMatch(/1 unreadable line\(s\) in .* skipped/);
    second.stored(second.recovered());
    expect(readdirSync(dir)).toEqual([]);
    second.close();
  });

  it('counts an event stored before its group reached the file as stored', async () => {
    const dir = folder();
    const journal = openTrafficJournal({ folder: dir });
    const [a, b] = calls(2);
    const done = Promise.all([journal.append(a!), journal.append(b!)]);
    journal.stored([a!]);
    await done;
    journal.stored([b!]);
    expect(readdirSync(dir)).toEqual([]);
    journal.close();
  });

  it('with fsync, resolves after the data is flushed, the same way', async () => {
    const dir = folder();
    const journal = openTrafficJournal({ folder: dir, fsync: true });
    await Promise.all(calls(3).map((e) => journal.append(e)));
    expect(lines(dir)).toHaveLength(3);
    journal.close();
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
