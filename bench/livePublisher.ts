import mqtt from 'mqtt';

/**
 * The live-map benchmark's background load (bench/live.ts forks it, so publishing keeps its own
 * event loop): `rate` native readings a second, QoS 1, the devices taking turns, for `seconds`.
 * Values stay in DAQI indices 1–6 (NO₂ ≤ 400 µg/m³, PM2.5 ≤ 30), so no background marker ever
 * takes the probe's colours. Reports the newest reading it published for each device.
 */

export interface LivePublisherOptions {
  url: string;
  topicPrefix: string;
  deviceIds: string[];
  rate: number;
  seconds: number;
}

export interface PublishedReading {
  deviceId: string;
  timeMs: number;
  values: { no2: number; pm25: number };
}

export type LivePublisherMessage =
  | { type: 'ready' }
  | { type: 'done'; sent: number; acked: number; firstAt: number; lastAt: number; newest: PublishedReading[] };
export type LivePublisherCommand = { type: 'go' } | { type: 'stop' };

const isChild = process.send !== undefined && process.argv[2] !== undefined;
if (isChild) await main(JSON.parse(process.argv[2] as string) as LivePublisherOptions);

async function main(options: LivePublisherOptions): Promise<void> {
  const send = (message: LivePublisherMessage) => process.send?.(message);
  process.on('disconnect', () => process.exit(0));
  const client = await mqtt.connectAsync(options.url, { clientId: `smartplace-bench-live-load-${process.pid}`, clean: true, protocolVersion: 4 });
  client.on('error', (error) => console.error(`live publisher: ${error.message}`));
  const round1 = (value: number) => Math.round(value * 10) / 10;
  const newest = new Map<string, PublishedReading>();
  let next = 0;
  let sent = 0;
  let acked = 0;
  let stopped = false;

  const publishOne = () => {
    const deviceId = options.deviceIds[next] as string;
    next = (next + 1) % options.deviceIds.length;
    const timeMs = Math.max(Date.now(), (newest.get(deviceId)?.timeMs ?? 0) + 1);
    const values = { no2: round1(5 + Math.random() * 395), pm25: round1(1 + Math.random() * 29) };
    newest.set(deviceId, { deviceId, timeMs, values });
    const body = JSON.stringify({ time: new Date(timeMs).toISOString(), values });
    client.publish(`${options.topicPrefix}/v1/devices/${deviceId}/readings`, body, { qos: 1 }, (error) => {
      if (!error) acked++;
    });
    sent++;
  };

  const run = async () => {
    const firstAt = Date.now();
    const endAt = firstAt + options.seconds * 1000;
    let lastAt = firstAt;
    // 5 ms slices: each publishes what the rate owes since the start.
    while (!stopped && Date.now() < endAt) {
      lastAt = Date.now();
      const owed = Math.floor(((lastAt - firstAt) / 1000) * options.rate);
      while (sent < owed) publishOne();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const deadline = Date.now() + 60_000;
    while (acked < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    send({ type: 'done', sent, acked, firstAt, lastAt, newest: [...newest.values()] });
    await client.endAsync();
    process.disconnect();
  };

  process.on('message', (command: LivePublisherCommand) => {
    switch (command.type) {
      case 'go':
        void run();
        break;
      case 'stop':
        stopped = true;
        break;
    }
  });
  send({ type: 'ready' });
}
