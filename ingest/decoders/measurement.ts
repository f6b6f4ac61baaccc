/**
 * Values as decoded payloads carry them: a number, a numeric string, a number followed by its unit
 * ("21.4 °C", as some vendors' payload formatters write), or `{ "value": n, "unit": "ppb" }`.
 */

export type Measurement = { kind: 'value'; value: number; unit?: string } | { kind: 'absent' } | { kind: 'invalid' };

const ABSENT: Measurement = { kind: 'absent' };
const INVALID: Measurement = { kind: 'invalid' };
const NUMBER_THEN_UNIT = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fromText(text: string): Measurement {
  const match = NUMBER_THEN_UNIT.exec(text);
  if (!match?.[1]) return INVALID;
  const value = Number(match[1]);
  if (!Number.isFinite(value)) return INVALID;
  return match[2] ? { kind: 'value', value, unit: match[2] } : { kind: 'value', value };
}

/** null (a sensor with nothing to report, e.g. warming up) is absent, not invalid. */
export function readMeasurement(raw: unknown): Measurement {
  if (raw === null || raw === undefined) return ABSENT;
  if (typeof raw === 'number') return Number.isFinite(raw) ? { kind: 'value', value: raw } : INVALID;
  if (typeof raw === 'string') return fromText(raw);
  if (!isRecord(raw) || !('value' in raw)) return INVALID;
  if (raw.unit !== undefined && typeof raw.unit !== 'string') return INVALID;
  if (typeof raw.value !== 'number' && typeof raw.value !== 'string' && raw.value !== null) return INVALID;
  const inner = readMeasurement(raw.value);
  if (inner.kind !== 'value' || raw.unit === undefined) return inner;
  return { kind: 'value', value: inner.value, unit: raw.unit };
}

/** A plain number or numeric string (no unit); undefined otherwise. */
export function readNumber(raw: unknown): number | undefined {
  const measurement = typeof raw === 'number' || typeof raw === 'string' ? readMeasurement(raw) : INVALID;
  return measurement.kind === 'value' && measurement.unit === undefined ? measurement.value : undefined;
}
