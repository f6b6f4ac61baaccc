import express from 'express';
import { z } from 'zod';
import { streetLabel, type AreaGeography } from '../core/area.js';
import { ApiError, parseQuery } from './errors.js';
import type { BriefingService } from './briefingService.js';
import { periodFields, resolvePeriod } from './compareRoutes.js';

/**
 * Councillors' briefings (issue 8), docs/api.md "Briefings":
 *   GET /search?q=            places by street or ward name, ward code, USRN or UPRN, best first
 *   GET /briefings/ward/:code  a ward's briefing for a period of whole days
 *   GET /briefings/street/:usrn  a street's
 */

export interface BriefingRoutesDeps {
  briefings: Pick<BriefingService, 'briefing'>;
  area(): AreaGeography | null;
  /** The street a property (UPRN) is on, from OS Open Linked Identifiers; null when not known. */
  streetOfProperty(uprn: number): Promise<number | null>;
  now?: () => Date;
}

export interface SearchResult {
  kind: 'street' | 'ward' | 'property';
  id: string;
  label: string;
  detail: string;
  href: string;
}

const MAX_RESULTS = 10;
const WARD_CODE = /^[A-Z][0-9]{8}$/;
const USRN = /^[1-9][0-9]{0,11}$/;

const searchSchema = z.object({ q: z.string().trim().min(2, 'at least 2 characters').max(100, 'at most 100 characters') }).strict();
const briefingSchema = (now: Date) =>
  z
    .object(periodFields)
    .strict()
    .transform((q, ctx) => {
      const { from, to } = resolvePeriod(q, now, ctx);
      return { from, to, days: Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1, preset: q.period };
    });

/** How well a name matches what was typed: 0 exact, 1 starts with it, 2 a word starts with it, 3 contains it. */
function matchRank(name: string, q: string): number | null {
  const n = name.toLowerCase();
  if (n === q) return 0;
  if (n.startsWith(q)) return 1;
  if (n.split(/[\s&-]+/).some((word) => word.startsWith(q))) return 2;
  return n.includes(q) ? 3 : null;
}

/** Places whose name or number matches `q`, best first, at most 10. */
export async function search(area: AreaGeography, q: string, streetOfProperty: (uprn: number) => Promise<number | null>): Promise<SearchResult[]> {
  const query = q.toLowerCase();
  const ranked: { rank: number; result: SearchResult }[] = [];
  const streetHref = (usrn: number) => `/briefing/street/${usrn}`;
  for (const ward of area.wards.features) {
    const { code, name } = ward.properties;
    const rank = code.toLowerCase() === query ? 0 : matchRank(name, query);
    if (rank !== null) ranked.push({ rank, result: { kind: 'ward', id: code, label: name, detail: `Ward (${code})`, href: `/briefing/ward/${code}` } });
  }
  const byUsrn = new Map(area.streets.features.map((street) => [street.properties.usrn, street.properties]));
  for (const street of area.streets.features) {
    const { usrn, name } = street.properties;
    const rank = String(usrn) === q ? 0 : name ? matchRank(name, query) : null;
    if (rank !== null) ranked.push({ rank: rank + 0.5, result: { kind: 'street', id: String(usrn), label: streetLabel(street.properties), detail: `Street (USRN ${usrn})`, href: streetHref(usrn) } });
  }
  // A number that is not a USRN here may be a property's UPRN.
  if (/^[1-9][0-9]{0,11}$/.test(q) && !byUsrn.has(Number(q))) {
    const usrn = await streetOfProperty(Number(q));
    const street = usrn === null ? undefined : byUsrn.get(usrn);
    if (street) ranked.push({ rank: 0, result: { kind: 'property', id: q, label: `UPRN ${q}`, detail: `Property on ${streetLabel(street)}`, href: streetHref(street.usrn) } });
  }
  return ranked
    .sort((a, b) => a.rank - b.rank || a.result.label.localeCompare(b.result.label, 'en-GB'))
    .slice(0, MAX_RESULTS)
    .map(({ result }) => result);
}

export function briefingRoutes(deps: BriefingRoutesDeps): express.Router {
  const router = express.Router();
  const now = () => (deps.now ?? (() => new Date()))();
  const area = (): AreaGeography => {
    const loaded = deps.area();
    if (!loaded) throw new ApiError(404, 'api.area_not_found', 'No geography has been loaded yet.');
    return loaded;
  };

  router.get('/search', async (request, response) => {
    const { q } = parseQuery(searchSchema, request);
    response.json({ results: await search(area(), q, deps.streetOfProperty) });
  });

  router.get('/briefings/ward/:code', async (request, response) => {
    const code = String(request.params.code);
    if (!WARD_CODE.test(code)) throw new ApiError(400, 'api.invalid_ward_code', `"${code}" is not a ward code: a letter and eight digits, such as E05000819.`);
    const period = parseQuery(briefingSchema(now()), request);
    const briefing = await deps.briefings.briefing({ kind: 'ward', code }, period, area());
    if (!briefing) throw new ApiError(404, 'api.ward_not_found', `There is no ward ${code} in this area.`);
    response.json({ ...briefing, period: { preset: period.preset, ...briefing.period }, generatedAt: now().toISOString(), ...sources(area()) });
  });

  router.get('/briefings/street/:usrn', async (request, response) => {
    const usrn = String(request.params.usrn);
    if (!USRN.test(usrn)) throw new ApiError(400, 'api.invalid_usrn', `"${usrn}" is not a USRN: a whole number of up to 12 digits.`);
    const period = parseQuery(briefingSchema(now()), request);
    const briefing = await deps.briefings.briefing({ kind: 'street', usrn: Number(usrn) }, period, area());
    if (!briefing) throw new ApiError(404, 'api.street_not_found', `There is no street with USRN ${usrn} in this area.`);
    response.json({ ...briefing, period: { preset: period.preset, ...briefing.period }, generatedAt: now().toISOString(), ...sources(area()) });
  });
  return router;
}

/** Where the briefing's data comes from, and under which licences. */
function sources(area: AreaGeography): { sources: string[]; licence: string } {
  return {
    sources: [
      "Readings from the council's air-quality sensors and traffic counters, stored and checked by Smartplace.",
      `Boundaries, streets and addresses: ${area.attribution}.`,
      "The Daily Air Quality Index and UK air-quality objectives: Defra. Guidelines: World Health Organization (2021).",
    ],
    licence: `Sensor data: Open Government Licence v3.0. ${area.attribution}.`,
  };
}
