import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RegistryEntry } from '../db/devicesRepository.js';
import { DeviceDirectory } from './deviceDirectory.js';

function entry(id: string, extra: Partial<RegistryEntry> = {}): RegistryEntry {
  return { id, payloadFormat: 'smartplace', mobile: false, retired: false, expectedIntervalS: 60, place: { wardCode: `W-${id}`, usrn: null }, keys: [], ...extra };
}

function directory(initial: RegistryEntry[], options: { reloadEveryMs?: number; missReloadMs?: number } = {}) {
  let entries = initial;
  let clock = 0;
  let loads = 0;
  let failing = false;
  const errors: string[] = [];
  const dir = new DeviceDirectory({
    load: async () => {
      loads++;
      if (failing) throw new Error('database down');
      return entries;
    },
    onLoadError: (error) => errors.push(error.message),
    now: () => clock,
    ...options,
  });
  return {
    dir,
    setEntries: (next: RegistryEntry[]) => (entries = next),
    advance: (ms: number) => (clock += ms),
    fail: (value: boolean) => (failing = value),
    loads: () => loads,
    errors,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('DeviceDirectory', () => {
  it('finds a device by its format and id, from memory once loaded', async () => {
    const t = directory([entry('aq-001'), entry('tts-dev', { payloadFormat: 'tts-v3' })]);
    await t.dir.reload();
    expect(t.dir.find('smartplace', 'aq-001')?.device.place).toEqual({ wardCode: 'W-aq-001', usrn: null });
    expect(t.dir.find('tts-v3', 'tts-dev')?.device.id).toBe('tts-dev');
    // A device is known only in its own format.
    expect(t.dir.find('tts-v3', 'aq-001')).toBeUndefined();
    expect(t.dir.find('smartplace', 'nope')).toBeUndefined();
    expect(t.loads()).toBe(1);
  });

  it('finds a device by its other names; DevEUIs whatever their case; a Datastream with its metric and unit', async () => {
    const t = directory([
      entry('cs-1', { payloadFormat: 'chirpstack-v4', keys: [{ payloadFormat: 'chirpstack-v4', key: '0004A30B001C0530' }] }),
      entry('st-1', {
        payloadFormat: 'sensorthings',
        keys: [
          { payloadFormat: 'sensorthings', key: '17', metric: 'no2', unit: 'ppb' },
          { payloadFormat: 'sensorthings', key: '18', metric: 'pm25', unit: 'ug/m3' },
        ],
      }),
    ]);
    await t.dir.reload();
    expect(t.dir.find('chirpstack-v4', '0004a30b001c0530')?.device.id).toBe('cs-1');
    expect(t.dir.find('sensorthings', '17')).toMatchObject({ device: { id: 'st-1' }, metric: 'no2', unit: 'ppb' });
    expect(t.dir.find('sensorthings', '18')).toMatchObject({ metric: 'pm25', unit: 'ug/m3' });
  });

  it('allows a reload for a miss at most once per missReloadMs, counted from the last attempt', async () => {
    const t = directory([entry('aq-001')], { missReloadMs: 2000 });
    await t.dir.reload();
    t.setEntries([entry('aq-001'), entry('aq-002')]);
    expect(t.dir.mayReloadForMiss()).toBe(false);
    t.advance(2000);
    expect(t.dir.mayReloadForMiss()).toBe(true);
    await t.dir.reloadForMiss();
    expect(t.dir.find('smartplace', 'aq-002')?.device.id).toBe('aq-002');
    expect(t.dir.mayReloadForMiss()).toBe(false);
    // A failed attempt also counts, so a flood of unknown ids cannot hammer a failing database.
    t.fail(true);
    t.advance(2000);
    await t.dir.reloadForMiss();
    expect(t.dir.mayReloadForMiss()).toBe(false);
    expect(t.errors).toEqual(['database down']);
    expect(t.dir.find('smartplace', 'aq-002')?.device.id).toBe('aq-002'); // the last good copy
  });

  it('refreshes in the background, so a retired or removed device is seen', async () => {
    vi.useFakeTimers();
    const t = directory([entry('aq-001')], { reloadEveryMs: 30_000 });
    await t.dir.reload();
    t.dir.startRefreshing();
    t.setEntries([entry('aq-001', { retired: true })]);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(t.dir.find('smartplace', 'aq-001')?.device.retired).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.dir.find('smartplace', 'aq-001')?.device.retired).toBe(true);
    t.dir.stop();
    t.setEntries([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.loads()).toBe(2);
  });
});
