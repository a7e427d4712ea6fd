import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/ports.js';
import { ClaimLoop } from './worker.js';

/** A loop over an in-memory queue that counts its claims; items finish when the test says so. */
function loop(concurrency: number) {
  const queue: number[] = [];
  const claims: number[] = [];
  const running = new Map<number, () => void>();
  const claimLoop = new ClaimLoop<number>({
    name: 'test',
    concurrency,
    pollMs: 60_000,
    claim: async (limit) => {
      claims.push(limit);
      return queue.splice(0, limit);
    },
    handle: (item) => new Promise<void>((resolve) => running.set(item, resolve)),
    log: silentLogger,
  });
  const finish = async (item: number) => {
    running.get(item)?.();
    running.delete(item);
    await new Promise((r) => setImmediate(r));
  };
  const settle = () => new Promise((r) => setTimeout(r, 5));
  return { claimLoop, queue, claims, running, finish, settle };
}

describe('ClaimLoop', () => {
  it('claims after a wake-up, not after every finished item once a claim came back short', async () => {
    const t = loop(4);
    t.queue.push(1, 2);
    t.claimLoop.start();
    await t.settle();
    expect([...t.running.keys()]).toEqual([1, 2]);
    expect(t.claims).toEqual([4]);
    await t.finish(1);
    await t.finish(2);
    expect(t.claims).toEqual([4]); // nothing new was announced: no scan
    t.queue.push(3);
    t.claimLoop.wake();
    await t.settle();
    expect([...t.running.keys()]).toEqual([3]);
    expect(t.claims).toEqual([4, 4]);
    await t.finish(3);
    await t.claimLoop.stop();
  });

  it('keeps claiming while batches come back full, and again when a full loop frees a slot', async () => {
    const t = loop(2);
    t.queue.push(1, 2, 3);
    t.claimLoop.start();
    await t.settle();
    expect([...t.running.keys()]).toEqual([1, 2]);
    await t.finish(1); // the last claim was full: there may be more
    await t.settle();
    expect([...t.running.keys()]).toEqual([2, 3]);
    await t.finish(2);
    await t.finish(3);
    await t.claimLoop.stop();
  });

  it('reserves free slots for work claimed elsewhere and gives unused ones back', async () => {
    const t = loop(3);
    t.claimLoop.start();
    await t.settle();
    expect(t.claimLoop.reserve(5)).toBe(3);
    expect(t.claimLoop.reserve(1)).toBe(0);
    t.claimLoop.adopt([10], 3); // one claimed, two slots back
    expect([...t.running.keys()]).toEqual([10]);
    expect(t.claimLoop.reserve(5)).toBe(2);
    t.claimLoop.adopt([], 2);
    await t.finish(10);
    await t.claimLoop.stop();
  });

  it('renews the leases of the items in flight, and only while some are', async () => {
    const renewed: number[][] = [];
    const running = new Map<number, () => void>();
    const queue = [1, 2];
    const claimLoop = new ClaimLoop<number>({
      name: 'test',
      concurrency: 4,
      pollMs: 60_000,
      claim: async (limit) => queue.splice(0, limit),
      handle: (item) => new Promise<void>((resolve) => running.set(item, resolve)),
      renew: { everyMs: 10, items: async (items) => renewed.push([...items]) },
      log: silentLogger,
    });
    claimLoop.start();
    await new Promise((r) => setTimeout(r, 35));
    expect(renewed.length).toBeGreaterThanOrEqual(2);
    expect(renewed.at(-1)).toEqual([1, 2]);
    running.get(1)?.();
    await new Promise((r) => setTimeout(r, 25));
    expect(renewed.at(-1)).toEqual([2]);
    running.get(2)?.();
    await claimLoop.stop();
    const ticks = renewed.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(renewed).toHaveLength(ticks); // nothing held: the timer is off
  });

  it('does not lose a wake-up that arrives while a claim is running', async () => {
    const t = loop(4);
    t.claimLoop.start();
    t.queue.push(1); // added while the first claim is in flight
    t.claimLoop.wake();
    await t.settle();
    expect([...t.running.keys()]).toEqual([1]);
    await t.finish(1);
    await t.claimLoop.stop();
  });
});
