import type { Device, DeviceKind } from '../core/device.js';
import type { Queryable } from './pool.js';

interface DeviceRow {
  id: string;
  name: string;
  kind: DeviceKind;
  lon: number;
  lat: number;
  expected_interval_s: number;
}

function toDevice(row: DeviceRow): Device {
  return { id: row.id, name: row.name, kind: row.kind, lon: row.lon, lat: row.lat, expectedIntervalS: row.expected_interval_s };
}

export class DevicesRepository {
  constructor(private readonly db: Queryable) {}

  async list(): Promise<Device[]> {
    const result = await this.db.query<DeviceRow>('SELECT id, name, kind, lon, lat, expected_interval_s FROM devices ORDER BY id');
    return result.rows.map(toDevice);
  }

  async get(id: string): Promise<Device | undefined> {
    const result = await this.db.query<DeviceRow>('SELECT id, name, kind, lon, lat, expected_interval_s FROM devices WHERE id = $1', [id]);
    const row = result.rows[0];
    return row ? toDevice(row) : undefined;
  }

  async ids(): Promise<string[]> {
    const result = await this.db.query<{ id: string }>('SELECT id FROM devices');
    return result.rows.map((row) => row.id);
  }

  /** Inserts or updates devices by id (used to seed the demo devices on every start). */
  async upsertMany(devices: readonly Device[]): Promise<void> {
    if (devices.length === 0) return;
    await this.db.query(
      `INSERT INTO devices (id, name, kind, lon, lat, expected_interval_s)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::int[])
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, lon = EXCLUDED.lon, lat = EXCLUDED.lat,
         expected_interval_s = EXCLUDED.expected_interval_s, updated_at = now()
       WHERE (devices.name, devices.kind, devices.lon, devices.lat, devices.expected_interval_s)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.lon, EXCLUDED.lat, EXCLUDED.expected_interval_s)`,
      [
        devices.map((d) => d.id),
        devices.map((d) => d.name),
        devices.map((d) => d.kind),
        devices.map((d) => d.lon),
        devices.map((d) => d.lat),
        devices.map((d) => d.expectedIntervalS),
      ],
    );
  }
}
