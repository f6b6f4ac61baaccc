import { z } from 'zod';

/** An ISO 8601 instant with a zone (any fraction of a second: TTS and ChirpStack send nanoseconds), as ISO UTC with milliseconds. */
export const IsoTimeSchema = z.iso.datetime({ offset: true }).transform((text) => new Date(text).toISOString());

/** Milliseconds since the Unix epoch as ISO UTC with milliseconds; undefined if out of Date's range. */
export function isoFromEpochMs(ms: number): string | undefined {
  const date = new Date(Math.round(ms));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
