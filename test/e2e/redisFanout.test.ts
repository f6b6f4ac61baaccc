import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alerts.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/events.js';
import type { LiveReading } from '../../core/reading.js';
import { createAlertsSchema, type AlertsSchema } from '../support/alertsSchema.js';
import { eventually } from '../support/product.js';

/**
 * Two server processes behind one load balancer share PostgreSQL and, through socket.io's Redis
 * adapter, their live fan-out: an alert is raised once between them and reaches the browsers of
 * both; an acknowledgement made on one reaches the other's; a reading is not sent twice. Runs on the
 * machine's PostgreSQL (a schema of its own holding the alerts table) and Redis.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REDIS_URL = 'redis://127.0.0.1:6379';

interface Node {
  process: ChildProcess;
  url: string;
}

async function startNode(databaseUrl: string, redisUrl: string | undefined): Promise<Node> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), 'test/support/realtimeNode.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a server process did not start:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`a server process exited with ${code}:\n${output}`)));
  });
  return { process: child, url };
}

async function stopNode(node: Node | undefined): Promise<void> {
  if (!node || node.process.exitCode !== null) return;
  const exited = new Promise((resolve) => node.process.once('exit', resolve));
  node.process.kill('SIGTERM');
  await exited;
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

async function browser(url: string): Promise<{ socket: Client; alerts: Alert[]; readings: LiveReading[] }> {
  const socket: Client = connect(url, { transports: ['websocket'] });
  const received = { socket, alerts: [] as Alert[], readings: [] as LiveReading[] };
  socket.on('alerts:v1', (alerts) => received.alerts.push(...alerts));
  socket.on('readings:v1', (readings) => received.readings.push(...readings));
  await new Promise<void>((resolve) => socket.once('snapshot:v2', () => resolve()));
  return received;
}

async function post(url: string, body?: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two server processes sharing alerts through Redis', () => {
  let schema: AlertsSchema;
  const nodes: Node[] = [];
  const sockets: Client[] = [];

  beforeAll(async () => {
    schema = await createAlertsSchema('fanout', ['aq-001']);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const node of nodes) await stopNode(node);
    await schema?.drop();
  });

  it('raises an alert once for both, and carries an acknowledgement from one to the other’s browsers', async () => {
    nodes.push(await startNode(schema.url, REDIS_URL), await startNode(schema.url, REDIS_URL));
    const [a, b] = nodes as [Node, Node];
    const onA = await browser(a.url);
    const onB = await browser(b.url);
    sockets.push(onA.socket, onB.socket);

    // Both processes get every committed reading (as each does from MQTT): NO₂ 468 is DAQI 8, High.
    const reading: LiveReading = { deviceId: 'aq-001', time: new Date().toISOString(), values: { no2: 468 } };
    await Promise.all([post(`${a.url}/test/readings`, [reading]), post(`${b.url}/test/readings`, [reading])]);
    await eventually(async () => (onA.alerts.length > 0 && onB.alerts.length > 0 ? true : undefined), 'the alert on both browsers');
    await sleep(500);
    expect(onA.alerts.map((alert) => [alert.kind, alert.acknowledgedAt])).toEqual([['daqi_high', null]]);
    expect(onB.alerts.map((alert) => alert.id)).toEqual(onA.alerts.map((alert) => alert.id));
    // Readings stay local to each process: one copy each, not one per process.
    expect(onA.readings).toEqual([reading]);
    expect(onB.readings).toEqual([reading]);

    const id = onA.alerts[0]?.id as number;
    const acknowledged = await post(`${b.url}/api/v1/alerts/${id}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    await eventually(async () => onA.alerts.find((alert) => alert.acknowledgedAt !== null), 'the acknowledgement on the other process’s browser');
    expect(((await (await fetch(`${a.url}/api/v1/alerts`)).json()) as { alerts: { state: string }[] }).alerts.map((alert) => alert.state)).toEqual(['acknowledged']);
  });

  it('without Redis, an acknowledgement made on one process never reaches the other’s browsers', async () => {
    for (const node of nodes.splice(0)) await stopNode(node);
    await schema.admin.query('DELETE FROM alerts');
    nodes.push(await startNode(schema.url, undefined), await startNode(schema.url, undefined));
    const [a, b] = nodes as [Node, Node];
    const onA = await browser(a.url);
    sockets.push(onA.socket);
    const reading: LiveReading = { deviceId: 'aq-001', time: new Date().toISOString(), values: { no2: 468 } };
    // Only A sees the reading, so A raises the alert and its browser hears of it.
    await post(`${a.url}/test/readings`, [reading]);
    await eventually(async () => onA.alerts[0], 'the alert on A’s browser');
    expect((await post(`${b.url}/api/v1/alerts/${onA.alerts[0]?.id}/acknowledge`)).status).toBe(200);
    await sleep(1000);
    expect(onA.alerts.map((alert) => alert.acknowledgedAt)).toEqual([null]);
  });
});
