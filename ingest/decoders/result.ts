import type { z } from 'zod';
import type { RejectReason } from '../../core/rejections.js';
import type { DecodeInput, DecodeResult, DecodedReading } from './types.js';

/** Why a step of decoding failed; becomes a DecodeResult rejection once the device key is known. */
export interface Failure {
  ok: false;
  reason: RejectReason;
  detail: string;
}

export type Result<T> = { ok: true; value: T } | Failure;

export function fail(reason: RejectReason, detail: string): Failure {
  return { ok: false, reason, detail };
}

/** A rejection, naming the device when it is known. */
export function rejected(failure: Failure, deviceKey: string | undefined): DecodeResult {
  return deviceKey === undefined ? failure : { ...failure, deviceKey };
}

export function decoded(deviceKey: string, readings: DecodedReading[]): DecodeResult {
  return { ok: true, deviceKey, readings };
}

/** The device key the topic names; a pattern without a {device} placeholder gives '' (core/topicRoutes.ts). */
export function topicKeyOf(input: DecodeInput): string | undefined {
  return input.topicKey === undefined || input.topicKey === '' ? undefined : input.topicKey;
}

/** A reading without the optional fields that are undefined, so results compare and serialise cleanly. */
export function reading({ time, values, periodS, position }: DecodedReading): DecodedReading {
  return {
    ...(time === undefined ? {} : { time }),
    values,
    ...(periodS === undefined ? {} : { periodS }),
    ...(position === undefined ? {} : { position }),
  };
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}

type Issue = z.core.$ZodIssue;

/** The most telling issue: inside a union, the one from the branch that came closest. */
function deepestIssue(issue: Issue): { issue: Issue; path: PropertyKey[] } {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { issue, path: [...issue.path] };
  const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0];
  const inner = closest?.[0];
  if (!inner) return { issue, path: [...issue.path] };
  const deeper = deepestIssue(inner);
  return { issue: deeper.issue, path: [...issue.path, ...deeper.path] };
}

/**
 * A schema failure as one sentence naming the field: `readings[1].time: Invalid ISO datetime`.
 * `root` names a payload that is an array (`records` gives `records[0].v`).
 */
export function zodDetail(error: z.ZodError, root = ''): string {
  const first = error.issues[0];
  if (!first) return 'the payload does not match the schema';
  const { issue, path } = deepestIssue(first);
  const where = path.length === 0 ? 'the payload' : `${root}${pathText(path)}`;
  const more = error.issues.length - 1;
  return `${where}: ${issue.message}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`;
}
