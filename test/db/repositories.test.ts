import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../../core/device.js';
import type { DevicePlace, DeviceRegistration } from '../../db/devicesRepository.js';
import type { Reading } from '../../core/reading.js';
import { DevicesRepository } from '../../db/devicesRepository.js';
import { commitIngestBatch } from '../../db/ingestCommit.js';
import { ReadingsRepository } from '../../db/readingsRepository.js';
import { REJECT_PAYLOAD_CAP, RejectsRepository, type Reject } from '../../db/rejectsRepository.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';

const nowhere: DevicePlace = { wardCode: null, usrn: null, streetDistanceM: null, uprn: null, uprnDistanceM: null };

type NewDevice = Device & { place: DevicePlace } & Partial<DeviceRegistration>;

const device = (overrides: Partial<NewDevice> = {}): NewDevice => ({
  id: 'aq-001',
  name: 'High Street air monitor',
  kind: 'air_quality',
  lon: -1.5,
  lat: 52.5,
  expectedIntervalS: 60,
  place: nowhere,
  ...overrides,
});

const reading = (overrides: Partial<Reading> = {}): Reading => ({
  deviceId: 'aq-001',
  time: '2026-11-21T10:00:00.000Z',
  values: { no2: 31.5 },
  ...overrides,
});

const reject = (overrides: Partial<Reject> = {}): Reject => ({
  topic: 'smartplace/v1/devices/x/readings',
  deviceId: 'x',
  payloadFormat: 'smartplace',
  reason: 'ingest.unknown_device',
  detail: 'no registered device has the id "x"',
  payload: new TextEncoder().encode('{}'),
  payloadBytes: 2,
  receivedAt: new Date('2026-11-21T10:00:00Z'),
  redelivered: false,
  ...overrides,
});

describe('repositories on the embedded TimescaleDB', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(async () => {
    await database?.destroy();
  });
  beforeEach(async () => {
    await database.pool.query('TRUNCATE readings, device_latest, rejects, devices CASCADE');
  });

  it('stores every metric and reads it back, leaving unmeasured metrics out', async () => {
    const readings = new ReadingsRepository(database.pool);
    await new DevicesRepository(database.pool).upsertMany([device({ id: 'tr-001', kind: 'traffic' })]);
    const counted = reading({
      deviceId: 'tr-001',
      values: { pedal_cycles: 2, two_wheeled_motor_vehicles: 1, cars_and_taxis: 40, buses_and_coaches: 2, lgvs: 8, all_hgvs: 3, speed_kmh: 37.5 },
      periodS: 60,
    });
    await readings.insertBatch([counted]);
    expect(await readings.latestPerDevice()).toEqual([counted]);
  });

  it('stores a reading once however often it arrives, and says which were new', async () => {
    const readings = new ReadingsRepository(database.pool);
    const first = await readings.insertBatch([reading(), reading({ time: '2026-11-21T10:01:00.000Z' }), reading()]);
    expect(first.inserted.map((r) => r.time)).toEqual(['2026-11-21T10:00:00.000Z', '2026-11-21T10:01:00.000Z']);
    expect(first.duplicates).toBe(1);
    const again = await readings.insertBatch([reading({ values: { no2: 99 } })]);
    expect(again).toEqual({ inserted: [], duplicates: 1 });
    const stored = await database.pool.query('SELECT no2 FROM readings WHERE time = $1', ['2026-11-21T10:00:00Z']);
    expect(stored.rows).toEqual([{ no2: 31.5 }]); // the first copy wins
    // Old and new mixed, with columns the earlier batches did not have: only the new are reported.
    const mixed = await readings.insertBatch([
      reading({ time: '2026-11-21T10:02:00.000Z', values: { pm25: 4 }, position: { lon: -2.3, lat: 53.4 } }),
      reading({ time: '2026-11-21T10:01:00.000Z' }),
      reading({ deviceId: 'aq-002', time: '2026-11-21T10:01:00.000Z' }),
    ]);
    expect(mixed.inserted.map((r) => [r.deviceId, r.time])).toEqual([
      ['aq-001', '2026-11-21T10:02:00.000Z'],
      ['aq-002', '2026-11-21T10:01:00.000Z'],
    ]);
    expect(mixed.duplicates).toBe(1);
    const newest = await database.pool.query("SELECT pm25, no2, lon, lat FROM readings WHERE time = '2026-11-21T10:02:00Z'");
    expect(newest.rows).toEqual([{ pm25: 4, no2: null, lon: -2.3, lat: 53.4 }]);
  });

  it('gives the newest reading of each registered device', async () => {
    await new DevicesRepository(database.pool).upsertMany([device(), device({ id: 'aq-002' })]);
    const readings = new ReadingsRepository(database.pool);
    await readings.insertBatch([
      reading({ time: '2026-11-21T10:00:00.000Z', values: { no2: 1 } }),
      reading({ time: '2026-11-21T10:05:00.000Z', values: { no2: 2 } }),
      reading({ time: '2026-11-20T10:05:00.000Z', values: { no2: 3 } }),
      reading({ deviceId: 'aq-002', time: '2026-11-19T08:00:00.000Z', values: { pm25: 4 } }),
      reading({ deviceId: 'unregistered', time: '2026-11-21T11:00:00.000Z', values: { no2: 5 } }),
    ]);
    expect(await readings.latestPerDevice()).toEqual([
      { deviceId: 'aq-001', time: '2026-11-21T10:05:00.000Z', values: { no2: 2 } },
      { deviceId: 'aq-002', time: '2026-11-19T08:00:00.000Z', values: { pm25: 4 } },
    ]);
  });

  it('keeps each device\'s newest reading through late, repeated and out-of-order readings', async () => {
    await new DevicesRepository(database.pool).upsertMany([device({ id: 'aq-001' }), device({ id: 'aq-002' })]);
    const readings = new ReadingsRepository(database.pool);
    const latest = async () => (await readings.latestPerDevice()).map((r) => [r.deviceId, r.time, r.values]);
    // Several readings of one device in a batch, newest not last.
    await readings.insertBatch([
      reading({ time: '2026-11-21T10:05:00.000Z', values: { no2: 2 } }),
      reading({ time: '2026-11-21T10:00:00.000Z', values: { no2: 1 } }),
      reading({ deviceId: 'aq-002', time: '2026-11-19T08:00:00.000Z', values: { pm25: 4 } }),
    ]);
    expect(await latest()).toEqual([
      ['aq-001', '2026-11-21T10:05:00.000Z', { no2: 2 }],
      ['aq-002', '2026-11-19T08:00:00.000Z', { pm25: 4 }],
    ]);
    // A late reading is stored but is not the newest; a resend of the newest with other values is not stored.
    await readings.insertBatch([reading({ time: '2026-11-21T09:00:00.000Z', values: { no2: 7 } }), reading({ time: '2026-11-21T10:05:00.000Z', values: { no2: 99 } })]);
    expect((await latest())[0]).toEqual(['aq-001', '2026-11-21T10:05:00.000Z', { no2: 2 }]);
    // A newer reading replaces it, every column with it (no values carried over from the older row).
    await readings.insertBatch([reading({ time: '2026-11-21T10:06:00.000Z', values: { pm10: 12 }, periodS: 60 })]);
    expect(await readings.latestPerDevice()).toEqual([
      { deviceId: 'aq-001', time: '2026-11-21T10:06:00.000Z', values: { pm10: 12 }, periodS: 60 },
      { deviceId: 'aq-002', time: '2026-11-19T08:00:00.000Z', values: { pm25: 4 } },
    ]);
  });

  it('rebuilds the newest readings after readings were written around insertBatch', async () => {
    await new DevicesRepository(database.pool).upsertMany([device({ id: 'aq-001' }), device({ id: 'aq-002' })]);
    const readings = new ReadingsRepository(database.pool);
    await readings.insertBatch([reading({ time: '2026-11-21T10:00:00.000Z', values: { no2: 1 } })]);
    await database.pool.query(
      `INSERT INTO readings (time, device_id, no2) VALUES ('2026-11-21T11:00:00Z', 'aq-001', 5), ('2026-11-21T09:00:00Z', 'aq-002', 6), ('2026-11-21T08:00:00Z', 'aq-002', 3)`,
    );
    expect((await readings.latestPerDevice()).map((r) => r.time)).toEqual(['2026-11-21T10:00:00.000Z']);
    await readings.rebuildLatest();
    expect(await readings.latestPerDevice()).toEqual([
      { deviceId: 'aq-001', time: '2026-11-21T11:00:00.000Z', values: { no2: 5 } },
      { deviceId: 'aq-002', time: '2026-11-21T09:00:00.000Z', values: { no2: 6 } },
    ]);
  });

  it('returns a series in time order within [from, to), up to the limit', async () => {
    const readings = new ReadingsRepository(database.pool);
    await readings.insertBatch(
      [0, 10, 20, 30, 40].map((minute) => reading({ time: new Date(Date.UTC(2026, 10, 21, 10, minute)).toISOString(), values: { no2: minute } })),
    );
    const from = new Date('2026-11-21T10:10:00Z');
    const to = new Date('2026-11-21T10:40:00Z');
    expect((await readings.series('aq-001', from, to, 100)).map((r) => r.values.no2)).toEqual([10, 20, 30]);
    expect((await readings.series('aq-001', from, to, 2)).map((r) => r.values.no2)).toEqual([10, 20]);
    expect(await readings.series('aq-002', from, to, 100)).toEqual([]);
  });

  it('keeps rejected payloads up to the cap with their original size', async () => {
    const big = new Uint8Array(REJECT_PAYLOAD_CAP + 500).fill(0x41);
    await new RejectsRepository(database.pool).insertMany([reject(), reject({ reason: 'ingest.payload_too_large', payload: big, payloadBytes: big.byteLength })]);
    const rows = await database.pool.query<{ reason: string; length: number; payload_bytes: number }>(
      'SELECT reason, length(payload) AS length, payload_bytes FROM rejects ORDER BY id',
    );
    expect(rows.rows).toEqual([
      { reason: 'ingest.unknown_device', length: 2, payload_bytes: 2 },
      { reason: 'ingest.payload_too_large', length: REJECT_PAYLOAD_CAP, payload_bytes: REJECT_PAYLOAD_CAP + 500 },
    ]);
  });

  it('stores each distinct rejected message once, counting fresh deliveries but not redeliveries', async () => {
    const rejects = new RejectsRepository(database.pool);
    const at = (minute: number) => new Date(`2026-11-21T10:0${minute}:00Z`);
    // Inside one batch: the same payload three times, once marked as a broker redelivery.
    await rejects.insertMany([reject({ receivedAt: at(1) }), reject({ receivedAt: at(2) }), reject({ receivedAt: at(3), redelivered: true })]);
    // A later batch: a redelivery of it, then a fresh resend; plus the same payload on another topic.
    await rejects.insertMany([reject({ receivedAt: at(4), redelivered: true }), reject({ receivedAt: at(5) }), reject({ topic: 'other/x' })]);
    const rows = await database.pool.query<{ topic: string; times_received: number; received_at: Date; last_received_at: Date }>(
      'SELECT topic, times_received, received_at, last_received_at FROM rejects ORDER BY id',
    );
    expect(rows.rows).toEqual([
      { topic: 'smartplace/v1/devices/x/readings', times_received: 3, received_at: at(1), last_received_at: at(5) },
      { topic: 'other/x', times_received: 1, received_at: at(0), last_received_at: at(0) },
    ]);
    // A message first seen as a redelivery (its first delivery was never kept) still counts once.
    await rejects.insertMany([reject({ topic: 'third', redelivered: true })]);
    expect((await database.pool.query("SELECT times_received FROM rejects WHERE topic = 'third'")).rows).toEqual([{ times_received: 1 }]);
  });

  it('commits a batch whole or not at all', async () => {
    // A reject the rejects table cannot take (reason is NOT NULL) fails the batch; its readings must not stay.
    const broken = reject({ reason: null as unknown as Reject['reason'] });
    await expect(commitIngestBatch(database.pool, [reading()], [broken])).rejects.toThrow(/null value/);
    expect((await database.pool.query('SELECT count(*)::int AS n FROM readings')).rows[0]).toEqual({ n: 0 });
    const result = await commitIngestBatch(database.pool, [reading()], [reject()]);
    expect(result.inserted).toHaveLength(1);
    expect((await database.pool.query('SELECT (SELECT count(*) FROM readings)::int AS r, (SELECT count(*) FROM rejects)::int AS j')).rows[0]).toEqual({
      r: 1,
      j: 1,
    });
  });

  it('updates a changed device and leaves an unchanged one alone', async () => {
    const devices = new DevicesRepository(database.pool);
    await devices.upsertMany([device(), device({ id: 'aq-002' })]);
    const before = await database.pool.query<{ id: string; updated_at: Date }>('SELECT id, updated_at FROM devices ORDER BY id');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await devices.upsertMany([device({ name: 'Renamed' }), device({ id: 'aq-002' })]);
    const after = await database.pool.query<{ id: string; updated_at: Date }>('SELECT id, updated_at FROM devices ORDER BY id');
    expect(after.rows[0]?.updated_at.getTime()).toBeGreaterThan(before.rows[0]?.updated_at.getTime() ?? 0);
    expect(after.rows[1]?.updated_at.getTime()).toBe(before.rows[1]?.updated_at.getTime());
    expect((await devices.get('aq-001'))?.name).toBe('Renamed');
    expect(await devices.get('nope')).toBeUndefined();
    expect((await devices.list()).map((d) => d.id)).toEqual(['aq-001', 'aq-002']);
  });

  it("stores each device's place and rewrites a device whose place changed", async () => {
    const devices = new DevicesRepository(database.pool);
    await devices.upsertMany([device()]);
    expect((await devices.get('aq-001'))?.location).toEqual({ ...nowhere, wardName: null, streetName: null });
    const place = { wardCode: 'E05000001', usrn: 12345678, streetDistanceM: 4.5, uprn: 100012345678, uprnDistanceM: 20.1 };
    await devices.upsertMany([device({ place })]);
    // Names come from the wards and street_names tables, which hold nothing here.
    expect((await devices.get('aq-001'))?.location).toEqual({ ...place, wardName: null, streetName: null });
    expect(await devices.registry()).toEqual([
      { id: 'aq-001', payloadFormat: 'smartplace', mobile: false, retired: false, expectedIntervalS: 60, place: { wardCode: 'E05000001', usrn: 12345678 }, keys: [] },
    ]);
  });

  it('registers formats, other names and retirement for ingest', async () => {
    const devices = new DevicesRepository(database.pool);
    await devices.upsertMany([device({ id: 'lora-1', payloadFormat: 'chirpstack-v4' }), device({ id: 'st-1', payloadFormat: 'sensorthings', mobile: true })]);
    await devices.setKeys('lora-1', [{ payloadFormat: 'chirpstack-v4', key: '0004a30b001c0530' }]);
    await devices.setKeys('st-1', [{ payloadFormat: 'sensorthings', key: '17', metric: 'no2', unit: 'ppb' }]);
    expect(await devices.setRetired('lora-1', new Date('2026-11-21T00:00:00Z'))).toBe(true);
    expect(await devices.setRetired('nope', new Date())).toBe(false);
    const registry = new Map((await devices.registry()).map((entry) => [entry.id, entry]));
    expect(registry.get('lora-1')).toMatchObject({ payloadFormat: 'chirpstack-v4', retired: true, keys: [{ payloadFormat: 'chirpstack-v4', key: '0004a30b001c0530' }] });
    expect(registry.get('st-1')).toMatchObject({ mobile: true, keys: [{ payloadFormat: 'sensorthings', key: '17', metric: 'no2', unit: 'ppb' }] });
    // A SensorThings name must say what its Datastream measures.
    await expect(devices.setKeys('st-1', [{ payloadFormat: 'sensorthings', key: '18' }])).rejects.toThrow(/check constraint/);
  });
});
