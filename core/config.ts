import { z } from 'zod';
import { PAYLOAD_FORMATS, type PayloadFormat } from './device.js';
import { DEFAULT_TOPIC_PATTERNS, topicRoute } from './topicRoutes.js';

/**
 * The configuration schema: pure, so it can be tested without touching process.env. Each process
 * reads its environment through cli/config.ts, which prints every problem at once and exits.
 * Every variable here is documented in .env.example and the README.
 */

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const booleanFlag = (fallback: boolean) =>
  optionalString.transform((value, ctx) => {
    if (value === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(value)) return true;
    if (/^(0|false|no|off)$/i.test(value)) return false;
    ctx.addIssue({ code: 'custom', message: `expected true or false, got "${value}"` });
    return z.NEVER;
  });

const integer = (fallback: number, min: number, max: number) =>
  optionalString.transform((value, ctx) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}, got "${value}"` });
      return z.NEVER;
    }
    return parsed;
  });

/** A TCP port that may be left unset. `explicit` records whether the user chose it. */
const port = (fallback: number) =>
  optionalString.transform((value, ctx) => {
    if (value === undefined) return { port: fallback, explicit: false };
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
      ctx.addIssue({ code: 'custom', message: `expected a port number from 0 to 65535, got "${value}"` });
      return z.NEVER;
    }
    return { port: parsed, explicit: true };
  });

const url = (protocols: readonly string[]) =>
  optionalString.transform((value, ctx) => {
    if (value === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a valid URL' });
      return z.NEVER;
    }
    if (!protocols.includes(parsed.protocol)) {
      ctx.addIssue({ code: 'custom', message: `must start with ${protocols.join(' or ')}//` });
      return z.NEVER;
    }
    return value;
  });

const EnvSchema = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  DATABASE_POOL_SIZE: integer(10, 1, 200),
  DATA_DIR: optionalString.transform((value) => value ?? './data'),
  EMBEDDED_DB_PORT: port(0),
  MQTT_URL: url(['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:']),
  MQTT_USERNAME: optionalString,
  MQTT_PASSWORD: optionalString,
  MQTT_HOST: optionalString.transform((value) => value ?? '127.0.0.1'),
  MQTT_PORT: port(1883),
  MQTT_TOPIC_PREFIX: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'letters, digits, "_", "-" and "/" between levels; no wildcards')
      .optional(),
  ),
  HOST: optionalString.transform((value) => value ?? '127.0.0.1'),
  PORT: port(8080),
  DEMO: optionalString,
  SIMULATOR_INTERVAL_MS: integer(5000, 100, 3_600_000),
  INGEST_INSTANCE_ID: optionalString.pipe(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional()),
  INGEST_BATCH_SIZE: integer(500, 1, 50_000),
  INGEST_BATCH_MAX_DELAY_MS: integer(50, 1, 10_000),
  INGEST_MAX_FUTURE_SKEW_S: integer(300, 0, 86_400),
  INGEST_BACKFILL_WINDOW_H: integer(168, 1, 24 * 400),
  INGEST_MAX_PAYLOAD_BYTES: integer(65_536, 256, 1_048_576),
  INGEST_RECEIVE_MAXIMUM: integer(10_000, 1, 65_535),
  INGEST_MAX_PENDING: integer(20_000, 100, 1_000_000),
  INGEST_SHARED_GROUP: optionalString.pipe(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" and "-"').optional()),
  INGEST_METRICS_PORT: port(9464),
  INGEST_TOPIC_SMARTPLACE: optionalString,
  INGEST_TOPIC_TTS_V3: optionalString,
  INGEST_TOPIC_CHIRPSTACK_V4: optionalString,
  INGEST_TOPIC_SENSOR_COMMUNITY: optionalString,
  INGEST_TOPIC_SENML: optionalString,
  INGEST_TOPIC_SENSORTHINGS: optionalString,
  STORE_RAW_RETENTION_MONTHS: integer(13, 1, 1200),
  STORE_COMPRESS_AFTER_DAYS: integer(7, 1, 3650),
  STORE_RUN_JOBS: z.enum(['auto', 'app', 'database']).default('auto'),
  STORE_QUALITY_SCAN_MINUTES: integer(5, 1, 1440),
  BASEMAP_STYLE_URL: url(['http:', 'https:']),
  CHROMIUM_PATH: optionalString,
  LIVE_OFFLINE_AFTER_MIN: integer(30, 1, 7 * 24 * 60),
  LIVE_UPDATES_PER_SECOND: integer(4, 1, 30),
  REDIS_URL: url(['redis:', 'rediss:']),
  STREET_MAX_DISTANCE_M: integer(50, 1, 5000),
  PROPERTY_MAX_DISTANCE_M: integer(100, 1, 5000),
  GEOGRAPHY_CHECK_INTERVAL_S: integer(30, 1, 86_400),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
});

/** Every environment variable Smartplace reads; .env.example and the README document each one. */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape) as readonly (keyof typeof EnvSchema.shape)[];

export interface PortSetting {
  port: number;
  /** True when the user set it: a taken explicit port is an error; a taken default is replaced by a free one. */
  explicit: boolean;
}

export interface Config {
  database: { url: string; embedded: false; poolSize: number } | { embedded: true; dataDir: string; port: PortSetting };
  mqtt:
    | { embedded: false; url: string; username?: string; password?: string; topicPrefix: string }
    | { embedded: true; host: string; port: PortSetting; topicPrefix: string };
  http: {
    host: string;
    port: PortSetting;
    basemapStyleUrl?: string;
    /** Chromium for briefings' PDFs (default /usr/bin/chromium); without it, the print stylesheet. */
    chromiumPath: string;
  };
  live: {
    /** Silence after which a device is offline (never less than 3× its expected interval). */
    offlineAfterS: number;
    /** Messages of readings per second per browser, at most. */
    maxUpdatesPerSecond: number;
    /** socket.io's Redis adapter shares alerts between server processes through it. */
    redisUrl?: string;
  };
  demo: boolean;
  simulator: { intervalMs: number };
  geography: {
    /** A device or reading further than this from every street gets no USRN. */
    streetMaxDistanceM: number;
    /** … and further than this from every property, no UPRN. */
    propertyMaxDistanceM: number;
    /** How often running processes look for a newly imported geography. */
    checkIntervalS: number;
  };
  ingest: {
    instanceId: string;
    batchSize: number;
    batchMaxDelayMs: number;
    maxFutureSkewS: number;
    backfillWindowH: number;
    maxPayloadBytes: number;
    /** MQTT 5 Receive Maximum: unacknowledged messages the broker may have in flight to ingest. */
    receiveMaximum: number;
    /** Uncommitted items above which ingest stops reading from the broker. */
    maxPending: number;
    /** Subscribe as `$share/{group}/…` so several ingest processes split the messages. */
    sharedGroup?: string;
    /** `smartplace ingest` serves /metrics here (`smartplace start` serves them on the web port). */
    metricsPort: PortSetting;
    /** Topic pattern per enabled payload format (core/topicRoutes.ts). */
    topicPatterns: Partial<Record<PayloadFormat, string>>;
  };
  store: {
    /** Raw readings older than this are dropped; the aggregates are kept. */
    rawRetentionMonths: number;
    /** Raw chunks are compressed once this old. */
    compressAfterDays: number;
    /** Whether this app runs TimescaleDB's jobs (the embedded database has no scheduler of its own). */
    runJobs: 'auto' | 'app' | 'database';
    qualityScanMinutes: number;
  };
  log: { level: z.infer<typeof EnvSchema>['LOG_LEVEL']; format: 'json' | 'pretty' };
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export interface ConfigDefaults {
  hostname: string;
  /** Whether standard output is a terminal: chooses pretty logs unless LOG_FORMAT says otherwise. */
  tty: boolean;
}

export function parseConfig(env: Record<string, string | undefined>, defaults: ConfigDefaults): ConfigResult {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    };
  }
  const e = parsed.data;
  const problems: string[] = [];
  const demo = booleanFlag(e.DATABASE_URL === undefined).safeParse(e.DEMO);
  if (!demo.success) problems.push(`DEMO: ${demo.error.issues[0]?.message ?? 'invalid'}`);
  if (e.MQTT_URL === undefined && (e.MQTT_USERNAME !== undefined || e.MQTT_PASSWORD !== undefined)) {
    problems.push('MQTT_USERNAME/MQTT_PASSWORD: only used with MQTT_URL (an external broker); set MQTT_URL or remove them');
  }
  const topicPatterns = ingestTopicPatterns(e, problems);
  // A reading back-filled into a period whose raw data was dropped would replace that period's
  // aggregates with itself alone; months are counted as 28 days to stay on the safe side.
  if (e.INGEST_BACKFILL_WINDOW_H >= e.STORE_RAW_RETENTION_MONTHS * 28 * 24) {
    problems.push(
      `INGEST_BACKFILL_WINDOW_H (${e.INGEST_BACKFILL_WINDOW_H}) must be shorter than STORE_RAW_RETENTION_MONTHS (${e.STORE_RAW_RETENTION_MONTHS}, counted as 28-day months)`,
    );
  }
  if (problems.length > 0) return { ok: false, problems };

  const topicPrefix = e.MQTT_TOPIC_PREFIX ?? 'smartplace';
  return {
    ok: true,
    config: {
      database: e.DATABASE_URL
        ? { embedded: false, url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
        : { embedded: true, dataDir: e.DATA_DIR, port: e.EMBEDDED_DB_PORT },
      mqtt: e.MQTT_URL
        ? {
            embedded: false,
            url: e.MQTT_URL,
            topicPrefix,
            ...(e.MQTT_USERNAME === undefined ? {} : { username: e.MQTT_USERNAME }),
            ...(e.MQTT_PASSWORD === undefined ? {} : { password: e.MQTT_PASSWORD }),
          }
        : { embedded: true, host: e.MQTT_HOST, port: e.MQTT_PORT, topicPrefix },
      http: {
        host: e.HOST,
        port: e.PORT,
        ...(e.BASEMAP_STYLE_URL === undefined ? {} : { basemapStyleUrl: e.BASEMAP_STYLE_URL }),
        chromiumPath: e.CHROMIUM_PATH ?? '/usr/bin/chromium',
      },
      live: {
        offlineAfterS: e.LIVE_OFFLINE_AFTER_MIN * 60,
        maxUpdatesPerSecond: e.LIVE_UPDATES_PER_SECOND,
        ...(e.REDIS_URL === undefined ? {} : { redisUrl: e.REDIS_URL }),
      },
      demo: demo.data as boolean,
      simulator: { intervalMs: e.SIMULATOR_INTERVAL_MS },
      geography: {
        streetMaxDistanceM: e.STREET_MAX_DISTANCE_M,
        propertyMaxDistanceM: e.PROPERTY_MAX_DISTANCE_M,
        checkIntervalS: e.GEOGRAPHY_CHECK_INTERVAL_S,
      },
      ingest: {
        instanceId: e.INGEST_INSTANCE_ID ?? sanitiseInstanceId(defaults.hostname),
        batchSize: e.INGEST_BATCH_SIZE,
        batchMaxDelayMs: e.INGEST_BATCH_MAX_DELAY_MS,
        maxFutureSkewS: e.INGEST_MAX_FUTURE_SKEW_S,
        backfillWindowH: e.INGEST_BACKFILL_WINDOW_H,
        maxPayloadBytes: e.INGEST_MAX_PAYLOAD_BYTES,
        receiveMaximum: e.INGEST_RECEIVE_MAXIMUM,
        maxPending: e.INGEST_MAX_PENDING,
        ...(e.INGEST_SHARED_GROUP === undefined ? {} : { sharedGroup: e.INGEST_SHARED_GROUP }),
        metricsPort: e.INGEST_METRICS_PORT,
        topicPatterns,
      },
      store: {
        rawRetentionMonths: e.STORE_RAW_RETENTION_MONTHS,
        compressAfterDays: e.STORE_COMPRESS_AFTER_DAYS,
        runJobs: e.STORE_RUN_JOBS,
        qualityScanMinutes: e.STORE_QUALITY_SCAN_MINUTES,
      },
      log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (defaults.tty ? 'pretty' : 'json') },
    },
  };
}

/** The env variable that sets a format's topic pattern: INGEST_TOPIC_TTS_V3 for tts-v3. */
export function topicVariable(format: PayloadFormat): `INGEST_TOPIC_${string}` {
  return `INGEST_TOPIC_${format.toUpperCase().replaceAll('-', '_')}`;
}

/** Each format's pattern: the default, the variable's value, or none when it says "off". */
function ingestTopicPatterns(e: Record<string, unknown>, problems: string[]): Partial<Record<PayloadFormat, string>> {
  const patterns: Partial<Record<PayloadFormat, string>> = {};
  for (const format of PAYLOAD_FORMATS) {
    const variable = topicVariable(format);
    const value = e[variable] as string | undefined;
    if (value !== undefined && /^off$/i.test(value)) continue;
    const pattern = value ?? DEFAULT_TOPIC_PATTERNS[format];
    try {
      topicRoute(format, pattern.replaceAll('{prefix}', 'prefix'));
      patterns[format] = pattern;
    } catch (error) {
      problems.push(`${variable}: ${(error as Error).message}`);
    }
  }
  if (Object.keys(patterns).length === 0) problems.push('INGEST_TOPIC_*: every payload format is off; ingest would take nothing');
  return patterns;
}

function sanitiseInstanceId(hostname: string): string {
  const cleaned = hostname.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'ingest';
}

/** A URL safe to print or report: the password is masked. */
export function redactUrl(value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
