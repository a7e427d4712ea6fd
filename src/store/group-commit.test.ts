import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  it('shares one commit among calls made in the same turn of the event loop', async () => {
    const commits: number[][] = [];
    const group = new GroupCommit(async (args: number[]) => {
      commits.push(args);
      return args.map((n) => n * 2);
    });
    expect(await Promise.all([group.add(1), group.add(2), group.add(3)])).toEqual([2, 4, 6]);
    expect(await group.add(4)).toBe(8);
    expect(commits).toEqual([[1, 2, 3], [4]]);
  });

  it('retries each call alone when the shared commit fails, so one bad call fails alone', async () => {
    const group = new GroupCommit(async (args: number[]) => {
      if (args.includes(13)) throw new Error('unlucky');
      return args;
    });
    const results = await Promise.allSettled([group.add(1), group.add(13), group.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
