import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchWriter } from './batchWriter.js';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('BatchWriter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes a full batch at once', async () => {
    const writes: number[][] = [];
    const writer = new BatchWriter<number>({ batchSize: 3, maxDelayMs: 1000, write: async (items) => void writes.push(items) });
    writer.add([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual([[1, 2, 3]]);
  });

  it('writes a partial batch after the delay, not before', async () => {
    const writes: number[][] = [];
    const writer = new BatchWriter<number>({ batchSize: 10, maxDelayMs: 50, write: async (items) => void writes.push(items) });
    writer.add([1]);
    await vi.advanceTimersByTimeAsync(20);
    writer.add([2]);
    await vi.advanceTimersByTimeAsync(29);
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual([[1, 2]]);
  });

  it('queues behind a write in flight and writes the queue straight after it', async () => {
    const writes: number[][] = [];
    const gate = deferred();
    const writer = new BatchWriter<number>({
      batchSize: 2,
      maxDelayMs: 1000,
      write: async (items) => {
        writes.push(items);
        if (writes.length === 1) await gate.promise;
      },
    });
    writer.add([1, 2]);
    await vi.advanceTimersByTimeAsync(0);
    writer.add([3, 4, 5]);
    expect(writer.pending).toBe(5);
    gate.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual([[1, 2], [3, 4], [5]]);
    expect(writer.pending).toBe(0);
  });

  it('retries a failed write with backoff, losing and reordering nothing', async () => {
    const writes: number[][] = [];
    const errors: [number, number][] = [];
    let failures = 2;
    const writer = new BatchWriter<number>({
      batchSize: 2,
      maxDelayMs: 10,
      minRetryMs: 100,
      maxRetryMs: 150,
      write: async (items) => {
        if (failures-- > 0) throw new Error('database unavailable');
        writes.push(items);
      },
      onWriteError: (_error, attempt, retryInMs) => errors.push([attempt, retryInMs]),
    });
    writer.add([1, 2]);
    writer.add([3]);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([[1, 100]]);
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toEqual([[1, 100], [2, 150]]);
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(150);
    expect(writes).toEqual([[1, 2], [3]]);
  });

  it('writes everything on close, even a partial batch, and refuses more', async () => {
    const writes: number[][] = [];
    const writer = new BatchWriter<number>({ batchSize: 2, maxDelayMs: 60_000, write: async (items) => void writes.push(items) });
    writer.add([1, 2, 3, 4, 5]);
    await writer.close();
    expect(writes.flat()).toEqual([1, 2, 3, 4, 5]);
    expect(() => writer.add([6])).toThrow('closed');
  });

  it('close waits for a write under way', async () => {
    const gate = deferred();
    const written: number[] = [];
    const writer = new BatchWriter<number>({
      batchSize: 1,
      maxDelayMs: 10,
      write: async (items) => {
        await gate.promise;
        written.push(...items);
      },
    });
    writer.add([1, 2]);
    await vi.advanceTimersByTimeAsync(0);
    let closed = false;
    const closing = writer.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    gate.resolve();
    await closing;
    expect(written).toEqual([1, 2]);
  });
});
