import { describe, expect, it } from 'vitest';
import { DeviceDirectory } from './deviceDirectory.js';

function directory(initial: string[], options: { reloadEveryMs?: number; missReloadMs?: number } = {}) {
  let ids = initial;
  let clock = 0;
  let loads = 0;
  let failing = false;
  const errors: string[] = [];
  const dir = new DeviceDirectory({
    load: async () => {
      loads++;
      if (failing) throw new Error('database down');
      return new Map(ids.map((id) => [id, { wardCode: `W-${id}`, usrn: null }]));
    },
    onLoadError: (error) => errors.push(error.message),
    now: () => clock,
    ...options,
  });
  return {
    dir,
    setIds: (next: string[]) => (ids = next),
    advance: (ms: number) => (clock += ms),
    fail: (value: boolean) => (failing = value),
    loads: () => loads,
    errors,
  };
}

describe('DeviceDirectory', () => {
  it('answers from memory once loaded', async () => {
    const t = directory(['aq-001']);
    await t.dir.reload();
    expect(await t.dir.has('aq-001')).toBe(true);
    expect(await t.dir.has('aq-001')).toBe(true);
    expect(t.loads()).toBe(1);
  });

  it('reloads early for an unknown id, at most once per missReloadMs', async () => {
    const t = directory(['aq-001'], { missReloadMs: 2000 });
    await t.dir.reload();
    t.setIds(['aq-001', 'aq-002']);
    expect(await t.dir.has('aq-002')).toBe(false); // loaded just now: no reload yet
    t.advance(2000);
    expect(await t.dir.has('aq-002')).toBe(true);
    expect(await t.dir.has('nope')).toBe(false);
    expect(await t.dir.has('nope')).toBe(false);
    expect(t.loads()).toBe(2);
  });

  it('reloads when stale, so a removed device stops being accepted', async () => {
    const t = directory(['aq-001'], { reloadEveryMs: 30_000 });
    await t.dir.reload();
    t.setIds([]);
    t.advance(29_999);
    expect(await t.dir.has('aq-001')).toBe(true);
    t.advance(1);
    expect(await t.dir.has('aq-001')).toBe(false);
  });

  it('never throws: a failed reload keeps the last good copy and reports the error', async () => {
    const t = directory(['aq-001'], { reloadEveryMs: 10 });
    await t.dir.reload();
    t.fail(true);
    t.advance(10);
    expect(await t.dir.has('aq-001')).toBe(true);
    expect(t.errors).toEqual(['database down']);
  });

  it('gives each known device its ward and street, and undefined for an unknown one', async () => {
    const t = directory(['aq-001']);
    expect(await t.dir.get('aq-001')).toEqual({ wardCode: 'W-aq-001', usrn: null });
    expect(await t.dir.get('nope')).toBeUndefined();
  });
});
