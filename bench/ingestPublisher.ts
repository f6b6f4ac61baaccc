import mqtt from 'mqtt';
import { deviceIds, payload, readingsTopic, type PublisherCommand, type PublisherMessage, type PublisherOptions } from './ingestLoad.js';

/**
 * One publisher of the ingest benchmark, run as a child process (bench/ingest.ts forks several) so
 * that publishing never shares an event loop with what is measured. Devices take turns; each
 * message's `time` is when it was published, in milliseconds, and never repeats for a device.
 * The rate is kept in 5 ms slices: each slice publishes what the rate owes since the start.
 */

const options = JSON.parse(process.argv[2] ?? '{}') as PublisherOptions;
const send = (message: PublisherMessage) => process.send?.(message);
// The benchmark went away (Ctrl-C, crash): stop rather than publish for nobody.
process.on('disconnect', () => process.exit(0));

const client = await mqtt.connectAsync(options.url, { clientId: options.clientId, clean: true, protocolVersion: 4, reconnectPeriod: 1000 });
client.on('error', (error) => console.error(`publisher ${options.clientId}: ${error.message}`));

const topics = deviceIds(options.devices).slice(options.from, options.to).map(readingsTopic);
const lastTime = new Float64Array(topics.length);
let next = 0;
let sent = 0;
let acked = 0;
let firstAt = 0;
let lastAt = 0;
let stopped = false;
const onAck = (error?: Error) => {
  if (!error) acked++;
};

function publishOne(now: number): void {
  const device = next;
  next = (next + 1) % topics.length;
  const time = Math.max(now, (lastTime[device] as number) + 1);
  lastTime[device] = time;
  client.publish(topics[device] as string, payload(time), { qos: 1 }, onAck);
  sent++;
}

async function run(startAt: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  firstAt = Date.now();
  const endAt = firstAt + options.seconds * 1000;
  while (!stopped) {
    const now = Date.now();
    if (now >= endAt) break;
    const owed = Math.floor(((now - firstAt) / 1000) * options.rate);
    while (sent < owed && sent - acked < options.maxOutstanding) publishOne(now);
    lastAt = now;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // Wait for the broker to acknowledge everything sent (it has then taken responsibility for it).
  const deadline = Date.now() + 60_000;
  while (acked < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  send({ type: 'done', sent, acked, firstAt, lastAt });
  await client.endAsync();
  process.disconnect();
}

process.on('message', (command: PublisherCommand) => {
  switch (command.type) {
    case 'go':
      void run(command.startAt);
      break;
    case 'stop':
      stopped = true;
      break;
  }
});
send({ type: 'ready' });
