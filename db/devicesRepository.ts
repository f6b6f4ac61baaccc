import type { Device, DeviceKind, DeviceLocation, LocatedDevice, PayloadFormat } from '../core/device.js';
import type { Metric } from '../core/metrics.js';
import type { ReadingPlace } from '../core/reading.js';
import type { Queryable } from './pool.js';

/** The `devices` table: the registry, and each device's place in the location keys. */

interface DeviceRow {
  id: string;
  name: string;
  kind: DeviceKind;
  lon: number;
  lat: number;
  expected_interval_s: number;
  ward_code: string | null;
  ward_name: string | null;
  usrn: string | null;
  street_name: string | null;
  street_distance_m: number | null;
  uprn: string | null;
  uprn_distance_m: number | null;
}

/** Where the joins put a device, as stored (names are looked up when read). */
export type DevicePlace = Pick<DeviceLocation, 'wardCode' | 'usrn' | 'streetDistanceM' | 'uprn' | 'uprnDistanceM'>;

/** How ingest takes a device's messages (db/migrations/0006_device_registry.sql). */
export interface DeviceRegistration {
  payloadFormat: PayloadFormat;
  /** Readings are joined where each was taken, from the position in the message. */
  mobile: boolean;
}

/** Another name the device goes by in its messages (a DevEUI, a SenML base name, a Datastream id). */
export interface DeviceKey {
  payloadFormat: PayloadFormat;
  key: string;
  /** SensorThings: what the Datastream measures, and in which unit. */
  metric?: Metric;
  unit?: string;
}

/** What ingest needs to know about a device, kept in memory (ingest/deviceDirectory.ts). */
export interface RegistryEntry extends DeviceRegistration {
  id: string;
  retired: boolean;
  /** Seconds between readings: traffic counts without a period of their own cover this long. */
  expectedIntervalS: number;
  place: ReadingPlace;
  keys: DeviceKey[];
}

const SELECT = `SELECT d.id, d.name, d.kind, d.lon, d.lat, d.expected_interval_s,
  d.ward_code, w.name AS ward_name, d.usrn, n.name AS street_name, d.street_distance_m, d.uprn, d.uprn_distance_m
FROM devices d
LEFT JOIN wards w ON w.code = d.ward_code
LEFT JOIN street_names n ON n.usrn = d.usrn`;

const toNumber = (value: string | null) => (value === null ? null : Number(value));

function toDevice(row: DeviceRow): LocatedDevice {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    lon: row.lon,
    lat: row.lat,
    expectedIntervalS: row.expected_interval_s,
    location: {
      wardCode: row.ward_code,
      wardName: row.ward_name,
      usrn: toNumber(row.usrn),
      streetName: row.street_name,
      streetDistanceM: row.street_distance_m,
      uprn: toNumber(row.uprn),
      uprnDistanceM: row.uprn_distance_m,
    },
  };
}

export class DevicesRepository {
  constructor(private readonly db: Queryable) {}

  async list(): Promise<LocatedDevice[]> {
    const result = await this.db.query<DeviceRow>(`${SELECT} ORDER BY d.id`);
    return result.rows.map(toDevice);
  }

  async get(id: string): Promise<LocatedDevice | undefined> {
    const result = await this.db.query<DeviceRow>(`${SELECT} WHERE d.id = $1`, [id]);
    const row = result.rows[0];
    return row ? toDevice(row) : undefined;
  }

  async ids(): Promise<string[]> {
    const result = await this.db.query<{ id: string }>('SELECT id FROM devices');
    return result.rows.map((row) => row.id);
  }

  /** Every device as ingest sees it: format, other names, retired or not, ward and street. */
  async registry(): Promise<RegistryEntry[]> {
    const devices = await this.db.query<{
      id: string;
      payload_format: PayloadFormat;
      mobile: boolean;
      retired: boolean;
      expected_interval_s: number;
      ward_code: string | null;
      usrn: string | null;
    }>('SELECT id, payload_format, mobile, retired_at IS NOT NULL AS retired, expected_interval_s, ward_code, usrn FROM devices');
    const keys = await this.db.query<{ device_id: string; payload_format: PayloadFormat; key: string; metric: Metric | null; unit: string | null }>(
      'SELECT device_id, payload_format, key, metric, unit FROM device_keys',
    );
    const keysOf = new Map<string, DeviceKey[]>();
    for (const row of keys.rows) {
      const list = keysOf.get(row.device_id) ?? [];
      list.push({
        payloadFormat: row.payload_format,
        key: row.key,
        ...(row.metric === null ? {} : { metric: row.metric }),
        ...(row.unit === null ? {} : { unit: row.unit }),
      });
      keysOf.set(row.device_id, list);
    }
    return devices.rows.map((row) => ({
      id: row.id,
      payloadFormat: row.payload_format,
      mobile: row.mobile,
      retired: row.retired,
      expectedIntervalS: row.expected_interval_s,
      place: { wardCode: row.ward_code, usrn: toNumber(row.usrn) },
      keys: keysOf.get(row.id) ?? [],
    }));
  }

  /** Replaces the other names a device goes by (new ones first, so a refused name changes nothing). */
  async setKeys(deviceId: string, keys: readonly DeviceKey[]): Promise<void> {
    const formats = keys.map((k) => k.payloadFormat);
    const names = keys.map((k) => k.key);
    if (keys.length > 0) {
      await this.db.query(
        `INSERT INTO device_keys (device_id, payload_format, key, metric, unit)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (payload_format, key) DO UPDATE SET device_id = EXCLUDED.device_id, metric = EXCLUDED.metric, unit = EXCLUDED.unit`,
        [deviceId, formats, names, keys.map((k) => k.metric ?? null), keys.map((k) => k.unit ?? null)],
      );
    }
    await this.db.query(
      `DELETE FROM device_keys WHERE device_id = $1
         AND (payload_format, key) NOT IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [deviceId, formats, names],
    );
  }

  /** Marks a device retired (its later messages are refused) or, with null, back in service. */
  async setRetired(deviceId: string, at: Date | null): Promise<boolean> {
    const result = await this.db.query('UPDATE devices SET retired_at = $2, updated_at = now() WHERE id = $1', [deviceId, at]);
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * Inserts or updates devices by id with where the joins put them (the demo devices are seeded on
   * every start); a device whose details and place are unchanged is not rewritten.
   */
  async upsertMany(devices: readonly (Device & { place: DevicePlace } & Partial<DeviceRegistration>)[]): Promise<void> {
    if (devices.length === 0) return;
    await this.db.query(
      `INSERT INTO devices (id, name, kind, lon, lat, expected_interval_s, ward_code, usrn, street_distance_m, uprn, uprn_distance_m,
                           payload_format, mobile)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::int[],
                            $7::text[], $8::int8[], $9::float8[], $10::int8[], $11::float8[], $12::text[], $13::bool[])
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, lon = EXCLUDED.lon, lat = EXCLUDED.lat,
         expected_interval_s = EXCLUDED.expected_interval_s, ward_code = EXCLUDED.ward_code, usrn = EXCLUDED.usrn,
         street_distance_m = EXCLUDED.street_distance_m, uprn = EXCLUDED.uprn, uprn_distance_m = EXCLUDED.uprn_distance_m,
         payload_format = EXCLUDED.payload_format, mobile = EXCLUDED.mobile, updated_at = now()
       WHERE (devices.name, devices.kind, devices.lon, devices.lat, devices.expected_interval_s, devices.ward_code, devices.usrn,
              devices.street_distance_m, devices.uprn, devices.uprn_distance_m, devices.payload_format, devices.mobile)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.lon, EXCLUDED.lat, EXCLUDED.expected_interval_s, EXCLUDED.ward_code,
              EXCLUDED.usrn, EXCLUDED.street_distance_m, EXCLUDED.uprn, EXCLUDED.uprn_distance_m, EXCLUDED.payload_format, EXCLUDED.mobile)`,
      [
        devices.map((d) => d.id),
        devices.map((d) => d.name),
        devices.map((d) => d.kind),
        devices.map((d) => d.lon),
        devices.map((d) => d.lat),
        devices.map((d) => d.expectedIntervalS),
        devices.map((d) => d.place.wardCode),
        devices.map((d) => d.place.usrn),
        devices.map((d) => d.place.streetDistanceM),
        devices.map((d) => d.place.uprn),
        devices.map((d) => d.place.uprnDistanceM),
        devices.map((d) => d.payloadFormat ?? 'smartplace'),
        devices.map((d) => d.mobile ?? false),
      ],
    );
  }

  /** Re-joins every device to a new geography (inside the import's transaction). */
  async setPlaces(places: ReadonlyMap<string, DevicePlace>): Promise<void> {
    if (places.size === 0) return;
    const ids = [...places.keys()];
    const values = [...places.values()];
    await this.db.query(
      `UPDATE devices d SET ward_code = p.ward_code, usrn = p.usrn, street_distance_m = p.street_distance_m, uprn = p.uprn,
         uprn_distance_m = p.uprn_distance_m, updated_at = now()
       FROM unnest($1::text[], $2::text[], $3::int8[], $4::float8[], $5::int8[], $6::float8[])
         AS p (id, ward_code, usrn, street_distance_m, uprn, uprn_distance_m)
       WHERE d.id = p.id`,
      [
        ids,
        values.map((v) => v.wardCode),
        values.map((v) => v.usrn),
        values.map((v) => v.streetDistanceM),
        values.map((v) => v.uprn),
        values.map((v) => v.uprnDistanceM),
      ],
    );
  }

  /** Every device's id and position (to re-join them after an import). */
  async positions(): Promise<{ id: string; lon: number; lat: number }[]> {
    const result = await this.db.query<{ id: string; lon: number; lat: number }>('SELECT id, lon, lat FROM devices ORDER BY id');
    return result.rows;
  }
}
