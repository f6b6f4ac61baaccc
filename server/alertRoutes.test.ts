import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../core/alerts.js';
import type { AlertChangeResult } from '../db/alertsRepository.js';
import { alertRoutes } from './alertRoutes.js';
import { errorHandler } from './errors.js';

/** The alert routes over a fake service: validation, status codes and the presented fields. */

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 7,
    kind: 'device_offline',
    deviceId: 'aq-001',
    message: 'High Street monitor has sent nothing for over 30 min.',
    value: 1900,
    since: '2026-11-22T10:30:00.000Z',
    raisedAt: '2026-11-22T10:30:05.000Z',
    clearedAt: null,
    occurrences: 1,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    ...overrides,
  };
}

const stored = new Map<number, Alert>([
  [7, alert()],
  [8, alert({ id: 8, kind: 'daqi_high', acknowledgedAt: '2026-11-22T10:40:00.000Z' })],
  [9, alert({ id: 9, resolvedAt: '2026-11-22T10:50:00.000Z' })],
]);

function change(id: number, done: (a: Alert) => boolean, apply: (a: Alert) => Alert): AlertChangeResult {
  const known = stored.get(id);
  if (!known) return { outcome: 'not_found' };
  if (done(known)) return { outcome: 'already', alert: known };
  const changed = apply(known);
  stored.set(id, changed);
  return { outcome: 'changed', alert: changed };
}

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(
    '/api/v1',
    alertRoutes({
      current: async () => [...stored.values()],
      acknowledge: async (id) => change(id, (a) => a.acknowledgedAt !== null || a.resolvedAt !== null, (a) => ({ ...a, acknowledgedAt: '2026-11-22T11:00:00.000Z' })),
      resolve: async (id) => change(id, (a) => a.resolvedAt !== null, (a) => ({ ...a, resolvedAt: '2026-11-22T11:00:00.000Z' })),
    }),
  );
  app.use(errorHandler({ error: () => undefined }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const post = (path: string) => fetch(`${base}${path}`, { method: 'POST' });

describe('alert routes', () => {
  it('lists alerts with their state, filtered by state and kind', async () => {
    const all = (await (await fetch(`${base}/alerts`)).json()) as { alerts: { id: number; state: string }[] };
    expect(all.alerts.map((a) => [a.id, a.state])).toEqual([
      [7, 'open'],
      [8, 'acknowledged'],
      [9, 'resolved'],
    ]);
    const open = (await (await fetch(`${base}/alerts?state=open&kind=device_offline`)).json()) as { alerts: { id: number }[] };
    expect(open.alerts.map((a) => a.id)).toEqual([7]);
  });

  it('refuses unknown parameters and values, naming them', async () => {
    const response = await fetch(`${base}/alerts?state=closed&colour=red`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { parameter: string }[] } };
    expect(body.error.code).toBe('api.invalid_query');
    expect(body.error.details.map((d) => d.parameter).sort()).toEqual(['colour', 'state']);
  });

  it('acknowledges, answers the same for a second press, refuses a resolved alert and knows unknown ids', async () => {
    const first = await post('/alerts/7/acknowledge');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ id: 7, state: 'acknowledged', acknowledgedAt: '2026-11-22T11:00:00.000Z' });
    expect((await post('/alerts/7/acknowledge')).status).toBe(200);
    const resolved = await post('/alerts/9/acknowledge');
    expect(resolved.status).toBe(409);
    expect(((await resolved.json()) as { error: { code: string } }).error.code).toBe('api.alert_resolved');
    for (const id of ['404', 'abc', '1e3', '-1', '99999999999999999999']) {
      const missing = await post(`/alerts/${id}/acknowledge`);
      expect([id, missing.status]).toEqual([id, 404]);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('api.alert_not_found');
    }
  });

  it('resolves, and resolving again is not an error', async () => {
    expect(await (await post('/alerts/8/resolve')).json()).toMatchObject({ id: 8, state: 'resolved' });
    expect((await post('/alerts/8/resolve')).status).toBe(200);
    expect((await fetch(`${base}/alerts/8/resolve`)).status).toBe(404); // GET is not a route
  });
});
