import { readFileSync } from 'node:fs';

/** Sample messages for the decoder tests: the bytes as a device or network server would publish them. */

export function sampleBytes(name: string): Uint8Array {
  return readFileSync(new URL(name, import.meta.url));
}

export function sampleJson(name: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(sampleBytes(name))) as Record<string, unknown>;
}

export function bytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
}
