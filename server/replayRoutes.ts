import express from 'express';
import { z } from 'zod';
import { HOUR_MS } from '../core/londonTime.js';
import type { AggregatesRepository } from '../db/aggregatesRepository.js';
import { parseQuery } from './errors.js';
import { presentReplay } from './storePresenters.js';

/**
 * GET /replay: every device's hourly means over the last whole hours (docs/api.md, Replay), for
 * the map's time slider. The hour now under way is left out: its mean is not finished, and the
 * live map already shows it.
 */

export interface ReplayRoutesDeps {
  aggregates: Pick<AggregatesRepository, 'deviceHourlyMeans'>;
  now?: () => Date;
}

export const MAX_REPLAY_HOURS = 48;

const replaySchema = z.object({ hours: z.coerce.number().int().min(1).max(MAX_REPLAY_HOURS).default(24) }).strict();

export function replayRoutes(deps: ReplayRoutesDeps): express.Router {
  const router = express.Router();
  router.get('/replay', async (request, response) => {
    const { hours } = parseQuery(replaySchema, request);
    const now = (deps.now ?? (() => new Date()))();
    const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    const from = new Date(to.getTime() - hours * HOUR_MS);
    response.json(presentReplay(from, to, await deps.aggregates.deviceHourlyMeans(from, to)));
  });
  return router;
}
