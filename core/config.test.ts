import { describe, expect, it } from 'vitest';
import { parseConfig, redactUrl } from './config.js';

const defaults = { hostname: 'box-1', tty: false };

function ok(env: Record<string, string>) {
  const result = parseConfig(env, defaults);
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.config;
}

describe('parseConfig', () => {
  it('runs everything embedded in demo mode with no settings', () => {
    const config = ok({});
    expect(config.database).toEqual({ embedded: true, dataDir: './data', port: { port: 0, explicit: false } });
    expect(config.mqtt).toEqual({ embedded: true, host: '127.0.0.1', port: { port: 1883, explicit: false }, topicPrefix: 'smartplace' });
    expect(config.http).toEqual({ host: '127.0.0.1', port: { port: 8080, explicit: false }, chromiumPath: '/usr/bin/chromium' });
    expect(config.demo).toBe(true);
    expect(config.ingest.instanceId).toBe('box-1');
    expect(config.log).toEqual({ level: 'info', format: 'json' });
  });

  it('takes the Chromium that prints briefings from CHROMIUM_PATH', () => {
    expect(ok({ CHROMIUM_PATH: '/opt/chromium/chrome' }).http.chromiumPath).toBe('/opt/chromium/chrome');
  });

  it('keeps raw readings 13 months, compresses after 7 days and lets the app run the jobs when embedded', () => {
    expect(ok({}).store).toEqual({ rawRetentionMonths: 13, compressAfterDays: 7, runJobs: 'auto', qualityScanMinutes: 5 });
    expect(ok({ STORE_RAW_RETENTION_MONTHS: '24', STORE_RUN_JOBS: 'database' }).store).toMatchObject({ rawRetentionMonths: 24, runJobs: 'database' });
  });

  it('calls a device offline after 30 minutes, sends 4 live messages a second, and shares nothing without REDIS_URL', () => {
    expect(ok({}).live).toEqual({ offlineAfterS: 1800, maxUpdatesPerSecond: 4 });
    expect(ok({ LIVE_OFFLINE_AFTER_MIN: '90', LIVE_UPDATES_PER_SECOND: '10', REDIS_URL: 'redis://cache:6379/2' }).live).toEqual({
      offlineAfterS: 5400,
      maxUpdatesPerSecond: 10,
      redisUrl: 'redis://cache:6379/2',
    });
    expect(parseConfig({ REDIS_URL: 'http://cache', LIVE_UPDATES_PER_SECOND: '0' }, defaults)).toEqual({
      ok: false,
      problems: ['LIVE_UPDATES_PER_SECOND: expected a whole number from 1 to 30, got "0"', 'REDIS_URL: must start with redis: or rediss://'],
    });
  });

  it('refuses a backfill window as long as the raw retention (a late reading could wipe an aggregate)', () => {
    // 1 month counted as 28 days = 672 hours: a 672-hour window is refused, 671 accepted.
    const refused = parseConfig({ STORE_RAW_RETENTION_MONTHS: '1', INGEST_BACKFILL_WINDOW_H: '672' }, defaults);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.problems[0]).toMatch(/^INGEST_BACKFILL_WINDOW_H \(672\) must be shorter than STORE_RAW_RETENTION_MONTHS/);
    expect(ok({ STORE_RAW_RETENTION_MONTHS: '1', INGEST_BACKFILL_WINDOW_H: '671' }).ingest.backfillWindowH).toBe(671);
    expect(parseConfig({ STORE_RUN_JOBS: 'sometimes' }, defaults).ok).toBe(false);
  });

  it('marks ports the user set as explicit', () => {
    const config = ok({ PORT: '9000', MQTT_PORT: '1884' });
    expect(config.http.port).toEqual({ port: 9000, explicit: true });
    expect(config.mqtt.embedded && config.mqtt.port).toEqual({ port: 1884, explicit: true });
  });

  it('uses external services when their URLs are set, and then is not in demo mode', () => {
    const config = ok({ DATABASE_URL: 'postgres://u:p@db:5432/smartplace', MQTT_URL: 'mqtt://broker:1883', MQTT_USERNAME: 'svc', MQTT_PASSWORD: 'secret' });
    expect(config.database).toEqual({ embedded: false, url: 'postgres://u:p@db:5432/smartplace', poolSize: 10 });
    expect(config.mqtt).toEqual({ embedded: false, url: 'mqtt://broker:1883', username: 'svc', password: 'secret', topicPrefix: 'smartplace' });
    expect(config.demo).toBe(false);
  });

  it('sizes the pool for a database server', () => {
    expect(ok({ DATABASE_URL: 'postgres://db/x', DATABASE_POOL_SIZE: '3' }).database).toMatchObject({ poolSize: 3 });
    expect(parseConfig({ DATABASE_POOL_SIZE: '0' }, defaults)).toMatchObject({ ok: false });
  });

  it('lets DEMO override the default either way', () => {
    expect(ok({ DEMO: 'false' }).demo).toBe(false);
    expect(ok({ DATABASE_URL: 'postgres://db/x', DEMO: 'yes' }).demo).toBe(true);
  });

  it('treats empty values as unset', () => {
    expect(ok({ PORT: '', DATABASE_URL: '  ' }).database.embedded).toBe(true);
  });

  it('lists every problem at once, naming the variable', () => {
    const result = parseConfig(
      { PORT: 'eighty', MQTT_URL: 'http://x', DATABASE_URL: 'nonsense', SIMULATOR_INTERVAL_MS: '5', LOG_LEVEL: 'loud', MQTT_TOPIC_PREFIX: 'a/#' },
      defaults,
    );
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toHaveLength(6);
    for (const variable of ['PORT', 'MQTT_URL', 'DATABASE_URL', 'SIMULATOR_INTERVAL_MS', 'LOG_LEVEL', 'MQTT_TOPIC_PREFIX']) {
      expect(problems.some((problem) => problem.startsWith(`${variable}:`))).toBe(true);
    }
  });

  it('refuses broker credentials without an external broker', () => {
    const result = parseConfig({ MQTT_USERNAME: 'x' }, defaults);
    expect(result.ok ? [] : result.problems).toEqual([expect.stringContaining('MQTT_USERNAME/MQTT_PASSWORD')]);
  });

  it('refuses an unreadable DEMO value', () => {
    const result = parseConfig({ DEMO: 'maybe' }, defaults);
    expect(result.ok ? [] : result.problems).toEqual(['DEMO: expected true or false, got "maybe"']);
  });

  it('picks pretty logs on a terminal unless told otherwise', () => {
    expect(parseConfig({}, { hostname: 'h', tty: true })).toMatchObject({ ok: true, config: { log: { format: 'pretty' } } });
    expect(parseConfig({ LOG_FORMAT: 'json' }, { hostname: 'h', tty: true })).toMatchObject({ ok: true, config: { log: { format: 'json' } } });
  });

  it('makes an ingest instance id that is safe in a topic from any host name', () => {
    expect(ok({}).ingest.instanceId).toBe('box-1');
    expect(parseConfig({}, { hostname: 'a b/c+#', tty: false })).toMatchObject({ ok: true, config: { ingest: { instanceId: 'a-b-c--' } } });
  });

  it('takes every payload format on its default topic unless told otherwise', () => {
    const { ingest } = ok({ INGEST_TOPIC_SENSORTHINGS: 'off', INGEST_TOPIC_SENML: 'sensors/{device}/senml', INGEST_SHARED_GROUP: 'ingest' });
    expect(ingest.topicPatterns).toEqual({
      smartplace: '{prefix}/v1/devices/{device}/readings',
      'tts-v3': 'v3/+/devices/{device}/up',
      'chirpstack-v4': 'application/+/device/{device}/event/up',
      'sensor-community': '{prefix}/v1/sensor-community/{device}',
      senml: 'sensors/{device}/senml',
    });
    expect(ingest).toMatchObject({ sharedGroup: 'ingest', receiveMaximum: 10_000, maxPending: 20_000, maxPayloadBytes: 65_536 });
  });

  it('refuses a broken topic pattern, or every format off, naming the variable', () => {
    const broken = parseConfig({ INGEST_TOPIC_TTS_V3: 'v3/#/up' }, defaults);
    expect(broken).toEqual({ ok: false, problems: ['INGEST_TOPIC_TTS_V3: topic pattern for tts-v3 "v3/#/up": # must be the last level'] });
    const off = Object.fromEntries(
      ['SMARTPLACE', 'TTS_V3', 'CHIRPSTACK_V4', 'SENSOR_COMMUNITY', 'SENML', 'SENSORTHINGS'].map((name) => [`INGEST_TOPIC_${name}`, 'off']),
    );
    expect(parseConfig(off, defaults)).toEqual({ ok: false, problems: ['INGEST_TOPIC_*: every payload format is off; ingest would take nothing'] });
  });
});

describe('redactUrl', () => {
  it('masks a password and leaves the rest', () => {
    expect(redactUrl('postgres://smartplace:hunter2@db:5432/x')).toBe('postgres://smartplace:***@db:5432/x');
    expect(redactUrl('mqtt://broker:1883')).toBe('mqtt://broker:1883');
  });
});
