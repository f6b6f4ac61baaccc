import express, { type Request } from 'express';
import { z } from 'zod';
import { ALERT_KINDS, alertState, type AlertState } from '../core/alerts.js';
import type { AlertChangeResult } from '../db/alertsRepository.js';
import type { AlertService } from './alertService.js';
import { ApiError, notFound, parseQuery } from './errors.js';
import { presentAlert } from './presenters.js';

/**
 * Alerts for operators (docs/api.md, Alerts):
 *   GET  /alerts                     unresolved alerts and those resolved in the last day
 *   POST /alerts/:id/acknowledge     "I have seen it"
 *   POST /alerts/:id/resolve         "it has been dealt with"
 * A change reaches every operator's page at once (`alerts:v1`). Who made it is recorded once
 * sign-in exists; until then `acknowledgedBy` and `resolvedBy` are null.
 */

export type AlertRoutesDeps = Pick<AlertService, 'current' | 'acknowledge' | 'resolve'>;

const ListQuerySchema = z
  .object({
    state: z.enum(['open', 'acknowledged', 'resolved']).optional(),
    kind: z.enum(ALERT_KINDS).optional(),
  })
  .strict();

const AlertIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function alertId(request: Request): number {
  const raw = String(request.params.id);
  const parsed = /^[0-9]{1,16}$/.test(raw) ? AlertIdSchema.safeParse(raw) : undefined;
  if (!parsed?.success) throw notFound('alert', raw);
  return parsed.data;
}

function answer(result: AlertChangeResult, id: number, refusal: (state: AlertState) => ApiError | undefined): unknown {
  if (result.outcome === 'not_found') throw notFound('alert', String(id));
  if (result.outcome === 'already') {
    const refused = refusal(alertState(result.alert));
    if (refused) throw refused;
  }
  return presentAlert(result.alert);
}

export function alertRoutes(deps: AlertRoutesDeps): express.Router {
  const router = express.Router();
  router.get('/alerts', async (request, response) => {
    const { state, kind } = parseQuery(ListQuerySchema, request);
    const alerts = (await deps.current()).map(presentAlert).filter((alert) => (state === undefined || alert.state === state) && (kind === undefined || alert.kind === kind));
    response.json({ alerts });
  });
  router.post('/alerts/:id/acknowledge', async (request, response) => {
    const id = alertId(request);
    response.json(
      answer(await deps.acknowledge(id, null), id, (state) =>
        state === 'resolved'
          ? new ApiError(409, 'api.alert_resolved', `Alert ${id} has been resolved; there is nothing left to acknowledge.`)
          : // Acknowledging twice (two operators at once) is not an error: the alert is acknowledged.
            undefined,
      ),
    );
  });
  router.post('/alerts/:id/resolve', async (request, response) => {
    const id = alertId(request);
    // Resolving twice is not an error either: the alert is resolved, as asked.
    response.json(answer(await deps.resolve(id, null), id, () => undefined));
  });
  return router;
}
