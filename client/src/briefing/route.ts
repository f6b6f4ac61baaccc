import { PERIODS, type PeriodChoice } from '../shared/period.js';
import type { Briefing } from './briefingResponse.js';

/**
 * The briefing page's address is its state: `/briefing` alone is the search, `/briefing/ward/:code`
 * and `/briefing/street/:usrn` a briefing, with the API's own query string (`period`, `from`, `to`).
 * The same page answers all of them, so these functions read the path and build the API's and the
 * PDF's addresses from it.
 */

export type PlaceKind = 'ward' | 'street';

export type BriefingRoute = { kind: 'search' } | { kind: PlaceKind; id: string } | { kind: 'unknown' };

const PLACE_PATH = /^\/briefing\/(ward|street)\/([^/]+)\/?$/;

export function parseRoute(pathname: string): BriefingRoute {
  // /briefing.html is where Vite's dev server and a plain static server put the page.
  if (/^\/briefing(\.html)?\/?$/.test(pathname)) return { kind: 'search' };
  const match = PLACE_PATH.exec(pathname);
  if (!match) return { kind: 'unknown' };
  let id: string;
  try {
    id = decodeURIComponent(match[2] as string);
  } catch {
    return { kind: 'unknown' };
  }
  return id.trim() === '' ? { kind: 'unknown' } : { kind: match[1] as PlaceKind, id };
}

/** The page's path for a place: `/briefing/ward/E05015239`. */
export function placePath(kind: PlaceKind, id: string): string {
  return `/briefing/${kind}/${encodeURIComponent(id)}`;
}

/** `GET /api/v1/briefings/ward/E05015239?period=30d`: the page's query string, passed on as it is. */
export function briefingApiUrl(route: { kind: PlaceKind; id: string }, search: string): string {
  return `/api/v1/briefings/${route.kind}/${encodeURIComponent(route.id)}${search}`;
}

/** The period a briefing was made for, as a query string: the one the server settled on, defaults filled in. */
export function periodSearch(period: Pick<Briefing['period'], 'preset' | 'from' | 'to'>): string {
  const params = new URLSearchParams({ period: period.preset });
  if (period.preset === 'custom') {
    params.set('from', period.from);
    params.set('to', period.to);
  }
  return `?${params.toString()}`;
}

/** `/briefing/ward/E05015239.pdf?period=30d`: the server's PDF of the same briefing. */
export function pdfUrl(briefing: Pick<Briefing, 'place' | 'period'>): string {
  return `${placePath(briefing.place.kind, briefing.place.id)}.pdf${periodSearch(briefing.period)}`;
}

/** `briefing-altrincham-2026-01-30-to-2026-02-28.pdf`: a name that says what and when. */
export function pdfFileName(briefing: Pick<Briefing, 'place' | 'period'>): string {
  const slug =
    briefing.place.name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || `${briefing.place.kind}-${briefing.place.id}`;
  return `briefing-${slug}-${briefing.period.from}-to-${briefing.period.to}.pdf`;
}

/** The period the address asks for, for the radios: an unknown or missing one is the API's default. */
export function periodInSearch(search: string): { period: PeriodChoice; from: string | null; to: string | null } {
  const params = new URLSearchParams(search);
  const text = params.get('period');
  const period = text !== null && (PERIODS as readonly string[]).includes(text) ? (text as PeriodChoice) : '30d';
  return period === 'custom' ? { period, from: params.get('from'), to: params.get('to') } : { period, from: null, to: null };
}

/**
 * The query string after the period radios were used: a preset alone, or the custom dates kept from
 * the address (the radios offer them only when the address had them).
 */
export function searchForChoice(choice: PeriodChoice, current: string): string {
  if (choice !== 'custom') return `?period=${choice}`;
  const { from, to } = periodInSearch(current);
  const params = new URLSearchParams({ period: 'custom' });
  if (from !== null) params.set('from', from);
  if (to !== null) params.set('to', to);
  return `?${params.toString()}`;
}
