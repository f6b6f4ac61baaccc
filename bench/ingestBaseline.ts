import type { IPublishPacket } from 'mqtt-packet';
import { readFileSync } from 'node:fs';
import { connectDb, LatencyLog, TOPIC_PREFIX, type BaselineCommand, type BaselineMessage, type BaselineOptions } from './ingestLoad.js';
import { connectRawSubscriber } from './rawMqtt.js';

/**
 * The ingest benchmark's baseline: the least a subscriber can do to store these messages, as a
 * child process. It takes QoS 1 messages, JSON.parses them (no validation, no device lookup, no
 * joins) and writes batches with one INSERT … SELECT FROM unnest(…) into the same `readings`
 * hypertable, acknowledging after the commit (or on receipt). Batching is ingest's: a batch is
 * written when it reaches batchSize or maxDelayMs after its first message, one write at a time.
 */

const options = JSON.parse(process.argv[2] ?? '{}') as BaselineOptions;
const send = (message: BaselineMessage) => process.send?.(message);
process.on('disconnect', () => process.exit(0));

const INSERT_SQL = `INSERT INTO readings (time, device_id, no2, pm25, pm10, temperature, humidity)
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])
ON CONFLICT (device_id, time) DO NOTHING`;

interface Row {
  messageId: number;
  deviceId: string;
  time: string;
  values: Record<string, number>;
}

const topicStart = `${TOPIC_PREFIX}/v1/devices/`.length;
const db = await connectDb(options.databaseUrl);
// A queue read from `head`, compacted now and then (shifting a million rows per batch would dominate).
let queue: Row[] = [];
let head = 0;
const pending = () => queue.length - head;
let timer: NodeJS.Timeout | undefined;
let writing: Promise<void> | undefined;
let committed = 0;
let firstCommitAt = 0;
let lastCommitAt = 0;
let rssPeakMiB = 0;
const latencies = new LatencyLog();
const writeMs = new LatencyLog();
let batchRows = 0;
let received = 0;
let acknowledged = 0;
let maxUnacknowledged = 0;
const receiptAcks: number[] = [];

const subscriber = await connectRawSubscriber({
  url: options.mqttUrl,
  clientId: 'smartplace-bench-baseline',
  clean: true,
  // MQTT 5 without a Receive Maximum of its own, so the broker's max_inflight_messages applies.
  protocolVersion: 5,
  filter: `${TOPIC_PREFIX}/v1/devices/+/readings`,
  onPublish,
});

function onPublish(packet: IPublishPacket): void {
  const body = JSON.parse(packet.payload.toString()) as { time: string; values: Record<string, number> };
  const deviceId = packet.topic.slice(topicStart, packet.topic.indexOf('/', topicStart));
  queue.push({ messageId: packet.messageId ?? 0, deviceId, time: body.time, values: body.values });
  received++;
  maxUnacknowledged = Math.max(maxUnacknowledged, received - acknowledged);
  if (options.ack === 'receipt') {
    if (receiptAcks.length === 0) setImmediate(flushReceiptAcks);
    receiptAcks.push(packet.messageId ?? 0);
  }
  if (writing) return;
  if (pending() >= options.batchSize) startWriting();
  else timer ??= setTimeout(startWriting, options.maxDelayMs);
}

function flushReceiptAcks(): void {
  acknowledged += receiptAcks.length;
  subscriber.ack(receiptAcks.splice(0));
}

function startWriting(): void {
  clearTimeout(timer);
  timer = undefined;
  writing ??= drain().finally(() => {
    writing = undefined;
    if (pending() > 0) startWriting();
  });
}

async function drain(): Promise<void> {
  while (pending() > 0) {
    const batch = queue.slice(head, head + options.batchSize);
    head += batch.length;
    if (head > 65_536 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    const started = performance.now();
    await db.query(INSERT_SQL, [
      batch.map((r) => r.time),
      batch.map((r) => r.deviceId),
      batch.map((r) => r.values.no2 ?? null),
      batch.map((r) => r.values.pm25 ?? null),
      batch.map((r) => r.values.pm10 ?? null),
      batch.map((r) => r.values.temperature ?? null),
      batch.map((r) => r.values.humidity ?? null),
    ]);
    writeMs.push(performance.now() - started);
    batchRows += batch.length;
    const now = Date.now();
    if (options.ack === 'commit') {
      subscriber.ack(batch.map((r) => r.messageId));
      acknowledged += batch.length;
    }
    for (const row of batch) latencies.push(now - Date.parse(row.time));
    committed += batch.length;
    firstCommitAt ||= now;
    lastCommitAt = now;
  }
}

const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const progress = setInterval(() => {
  rssPeakMiB = Math.max(rssPeakMiB, rssMiB());
  send({ type: 'progress', committed, lastCommitAt });
}, 250);

process.on('message', (command: BaselineCommand) => {
  if (command.type !== 'finish') return;
  void (async () => {
    clearInterval(progress);
    await subscriber.close();
    if (pending() > 0) startWriting();
    while (writing) await writing;
    const rows = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM readings')).rows[0]?.n ?? 0);
    await db.end();
    send({ type: 'result', committed, rows, firstCommitAt, lastCommitAt, latency: latencies.summary(), writeMs: writeMs.summary(), meanBatch: batchRows / Math.max(1, writeMs.length), maxUnacknowledged, rssPeakMiB });
    process.disconnect();
  })();
});
send({ type: 'ready', receiveMaximum: subscriber.serverProperties.receiveMaximum as number | undefined });
