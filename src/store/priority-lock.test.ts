import { describe, expect, it } from 'vitest';
import { PriorityLock } from './priority-lock.js';

describe('PriorityLock', () => {
  it('runs one job at a time and urgent jobs before queued background jobs', async () => {
    const lock = new PriorityLock();
    const order: string[] = [];
    let running = 0;
    const job = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      await new Promise((r) => setTimeout(r, 1));
      order.push(name);
      running--;
    };
    const done = [lock.run(job('b1')), lock.run(job('b2')), lock.run(job('u1'), true), lock.run(job('b3')), lock.run(job('u2'), true)];
    await Promise.all(done);
    expect(order.indexOf('u1')).toBeLessThan(order.indexOf('b2'));
    expect(order.indexOf('u2')).toBeLessThan(order.indexOf('b2'));
    expect(order.filter((n) => n.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
  });

  it('keeps background work moving during a burst of urgent work', async () => {
    const lock = new PriorityLock();
    let background = 0;
    let stop = false;
    // Urgent work arrives with I/O: one request per turn of the event loop, without pause.
    const burst = (async () => {
      while (!stop) {
        await lock.run(async () => undefined, true);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const bg = (async () => {
      for (let i = 0; i < 20; i++) await lock.run(async () => void background++);
    })();
    await bg;
    stop = true;
    await burst;
    expect(background).toBe(20);
  });

  it('passes results and errors through', async () => {
    const lock = new PriorityLock();
    await expect(lock.run(async () => 42)).resolves.toBe(42);
    await expect(lock.run(async () => Promise.reject(new Error('boom')), true)).rejects.toThrow('boom');
    await expect(lock.run(async () => 'still works')).resolves.toBe('still works');
  });
});
