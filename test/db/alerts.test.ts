import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, AlertCheck } from '../../core/alerts.js';
import type { LiveReading } from '../../core/reading.js';
import { AlertsRepository } from '../../db/alertsRepository.js';
import { DevicesRepository, type DevicePlace } from '../../db/devicesRepository.js';
import { openDb, type Db } from '../../db/pool.js';
import { ReadingsRepository } from '../../db/readingsRepository.js';
import { AlertService } from '../../server/alertService.js';
import { createAlertsSchema, type AlertsSchema } from '../support/alertsSchema.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';

/** Alerts in the database (migration 0009), and the service that raises them from live readings. */

const nowhere: DevicePlace = { wardCode: null, usrn: null, streetDistanceM: null, uprn: null, uprnDistanceM: null };
const T0 = Date.parse('2026-11-22T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const high = (minutes: number, deviceId = 'aq-001'): AlertCheck => ({
  kind: 'daqi_high',
  deviceId,
  holds: true,
  at: at(minutes),
  value: 8,
  message: 'Air quality High at High Street: DAQI 8 from NO₂ (indicative, from a single reading).',
});

describe('AlertsRepository (embedded TimescaleDB)', () => {
  let database: TestDatabase;
  let alerts: AlertsRepository;

  beforeAll(async () => {
    database = await startTestDatabase();
    alerts = new AlertsRepository(database.pool);
    await new DevicesRepository(database.pool).upsertMany(
      ['aq-001', 'aq-002'].map((id) => ({ id, name: `Monitor ${id}`, kind: 'air_quality' as const, lon: -1.5, lat: 52.5, expectedIntervalS: 60, place: nowhere })),
    );
  });
  afterAll(async () => {
    await database?.destroy();
  });
  beforeEach(async () => {
    await database.pool.query('DELETE FROM alerts');
  });

  it('raises once, re-opens the same alert when the condition returns before it is resolved, and raises anew after', async () => {
    const raised = await alerts.start(high(0));
    expect(raised).toMatchObject({ kind: 'daqi_high', deviceId: 'aq-001', since: at(0), clearedAt: null, occurrences: 1, acknowledgedAt: null, resolvedAt: null });
    expect(await alerts.start(high(1))).toBeUndefined(); // still holding: nothing new

    expect(await alerts.end('daqi_high', 'aq-001', at(5))).toMatchObject({ id: raised?.id, clearedAt: at(5) });
    expect(await alerts.end('daqi_high', 'aq-001', at(6))).toBeUndefined(); // already ended

    const reopened = await alerts.start(high(9));
    expect(reopened).toMatchObject({ id: raised?.id, clearedAt: null, occurrences: 2, since: at(9) });

    expect(await alerts.resolve(raised?.id as number, null)).toMatchObject({ outcome: 'changed', alert: { id: raised?.id } });
    await alerts.end('daqi_high', 'aq-001', at(12));
    const next = await alerts.start(high(20));
    expect(next?.id).toBeGreaterThan(raised?.id as number);
    expect(next).toMatchObject({ occurrences: 1, resolvedAt: null });
    expect(Number((await database.pool.query('SELECT count(*) AS n FROM alerts')).rows[0]?.n)).toBe(2);
  });

  it('raises nothing new for a condition that still holds after an operator resolved its alert', async () => {
    const raised = (await alerts.start(high(0))) as Alert;
    await alerts.resolve(raised.id, null);
    expect(await alerts.start(high(1))).toBeUndefined();
    expect(await alerts.conditions()).toEqual([{ kind: 'daqi_high', deviceId: 'aq-001', holds: true }]);
    // Its end is still recorded, so the next start is a new alert.
    expect(await alerts.end('daqi_high', 'aq-001', at(3))).toMatchObject({ id: raised.id, clearedAt: at(3) });
    expect(await alerts.conditions()).toEqual([{ kind: 'daqi_high', deviceId: 'aq-001', holds: false }]);
    expect((await alerts.start(high(4)))?.id).not.toBe(raised.id);
  });

  it('acknowledges and resolves once, says when it already was, and knows unknown ids', async () => {
    const raised = (await alerts.start(high(0))) as Alert;
    const acknowledged = await alerts.acknowledge(raised.id, 'Ops desk');
    expect(acknowledged).toMatchObject({ outcome: 'changed', alert: { acknowledgedBy: 'Ops desk' } });
    expect(await alerts.acknowledge(raised.id, 'Someone else')).toMatchObject({ outcome: 'already', alert: { acknowledgedBy: 'Ops desk' } });
    expect(await alerts.resolve(raised.id, null)).toMatchObject({ outcome: 'changed', alert: { resolvedBy: null } });
    expect(await alerts.resolve(raised.id, null)).toMatchObject({ outcome: 'already' });
    expect(await alerts.acknowledge(999_999, null)).toEqual({ outcome: 'not_found' });
  });

  it('lists unresolved alerts first, then those resolved since the cut-off', async () => {
    const first = (await alerts.start(high(0))) as Alert;
    const second = (await alerts.start(high(0, 'aq-002'))) as Alert;
    await alerts.resolve(first.id, null);
    expect((await alerts.current(new Date(Date.now() - 60_000), 10)).map((alert) => alert.id)).toEqual([second.id, first.id]);
    expect((await alerts.current(new Date(Date.now() + 60_000), 10)).map((alert) => alert.id)).toEqual([second.id]);
  });

  describe('AlertService', () => {
    let now = T0;
    let published: Alert[] = [];
    let service: AlertService;
    const no2 = (minutes: number, value: number, deviceId = 'aq-001'): LiveReading => ({ deviceId, time: at(minutes), values: { no2: value } });

    beforeEach(async () => {
      now = T0;
      published = [];
      await database.pool.query('DELETE FROM device_latest');
      service = new AlertService({
        alerts,
        devices: () => new DevicesRepository(database.pool).list(),
        latest: () => new ReadingsRepository(database.pool).latestPerDevice(),
        freeFlow: async () => null,
        rules: { offlineAfterS: 1800 },
        publish: (changed) => published.push(...changed),
        log: { warn: () => undefined, info: () => undefined },
        now: () => now,
        checkIntervalMs: 3600_000,
      });
      await service.start();
    });

    it('raises one alert for a run of High readings, and records when it ended', async () => {
      // NO₂ 468 µg/m³ is DAQI 8 (High); 401 is 7; 100 is 2.
      service.onReadings([no2(0, 100)]);
      service.onReadings([no2(1, 468), no2(1, 468, 'aq-002')]);
      service.onReadings([no2(2, 401)]);
      service.onReadings([no2(3, 470)]);
      await service.idle();
      expect(published.map((alert) => [alert.deviceId, alert.kind, alert.value, alert.clearedAt])).toEqual([
        ['aq-001', 'daqi_high', 8, null],
        ['aq-002', 'daqi_high', 8, null],
      ]);
      service.onReadings([no2(4, 100)]);
      await service.idle();
      expect(published.slice(2).map((alert) => [alert.deviceId, alert.clearedAt])).toEqual([['aq-001', at(4)]]);
      // An older reading arriving late changes nothing.
      service.onReadings([no2(3.5, 500)]);
      await service.idle();
      expect(published).toHaveLength(3);
    });

    it('raises a device offline after the configured silence, and ends it when the device reports', async () => {
      service.onReadings([no2(0, 20)]);
      now = T0 + 30 * 60_000;
      await service.checkNow();
      expect(published).toEqual([]); // exactly 30 minutes: not yet over
      now = T0 + 31 * 60_000;
      await service.checkNow();
      await service.checkNow();
      expect(published.map((alert) => [alert.kind, alert.deviceId, alert.since, alert.message])).toEqual([
        ['device_offline', 'aq-001', at(30), 'Monitor aq-001 has sent nothing for over 30 min.'],
      ]);
      // aq-002 has never reported: no reading, no offline alert.
      service.onReadings([no2(32, 20)]);
      await service.idle();
      expect(published.slice(1).map((alert) => [alert.kind, alert.clearedAt])).toEqual([['device_offline', at(32)]]);
    });

    it('publishes an operator’s acknowledgement, and nothing for one that changed nothing', async () => {
      service.onReadings([no2(0, 468)]);
      await service.idle();
      const raised = published[0] as Alert;
      expect(await service.acknowledge(raised.id, null)).toMatchObject({ outcome: 'changed' });
      expect(await service.acknowledge(raised.id, null)).toMatchObject({ outcome: 'already' });
      expect(published.map((alert) => alert.acknowledgedAt === null)).toEqual([true, false]);
    });
  });
});

/**
 * Several server processes see every reading and try to raise the same alert at once. The embedded
 * database has one session, so the race runs on the machine's PostgreSQL (no TimescaleDB needed for
 * this table) in a schema of its own.
 */
describe('AlertsRepository with concurrent writers (PostgreSQL on 127.0.0.1:5432)', () => {
  let schema: AlertsSchema;
  let pools: Db[] = [];

  beforeAll(async () => {
    schema = await createAlertsSchema('alerts_race', ['aq-001']);
    pools = Array.from({ length: 4 }, () => openDb({ connectionString: schema.url, max: 2, onError: () => undefined }));
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await schema?.drop();
  });

  it('raises, ends and re-opens exactly once between them', async () => {
    const writers = pools.flatMap((pool) => [new AlertsRepository(pool), new AlertsRepository(pool)]);
    const raised = (await Promise.all(writers.map((writer) => writer.start(high(0))))).filter(Boolean);
    expect(raised).toHaveLength(1);
    const ended = (await Promise.all(writers.map((writer) => writer.end('daqi_high', 'aq-001', at(5))))).filter(Boolean);
    expect(ended).toHaveLength(1);
    const reopened = (await Promise.all(writers.map((writer) => writer.start(high(9))))).filter(Boolean);
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).toMatchObject({ occurrences: 2 });
    const rows = await schema.admin.query('SELECT count(*) AS n FROM alerts');
    expect(Number(rows.rows[0]?.n)).toBe(1);
  });
});
