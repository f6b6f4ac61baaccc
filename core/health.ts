import { z } from 'zod';

export const INGEST_STATES = ['starting', 'running', 'stopped', 'offline'] as const;

/**
 * What an ingest process says about itself on its retained status topic. The broker publishes the
 * `offline` form (the process's last will) if the process dies without saying goodbye.
 */
export const IngestStatusSchema = z.object({
  instanceId: z.string().min(1).max(200),
  state: z.enum(INGEST_STATES),
  since: z.iso.datetime({ offset: true }),
  received: z.number().int().nonnegative().optional(),
  stored: z.number().int().nonnegative().optional(),
  duplicates: z.number().int().nonnegative().optional(),
  rejected: z.number().int().nonnegative().optional(),
  /** Refused messages by reason code (core/rejections.ts), since this process started. */
  rejectedByReason: z.record(z.string(), z.number().int().nonnegative()).optional(),
  pending: z.number().int().nonnegative().optional(),
  lastCommitAt: z.iso.datetime({ offset: true }).nullable().optional(),
  lastError: z.string().max(500).nullable().optional(),
});
export type IngestStatus = z.infer<typeof IngestStatusSchema>;

export type ComponentState = 'up' | 'down';

export interface HealthReport {
  status: 'ok' | 'degraded';
  time: string;
  broker: { state: ComponentState; embedded: boolean };
  database: { state: ComponentState; embedded: boolean; latencyMs: number | null; error: string | null };
  ingest: { state: ComponentState; instances: IngestStatus[] };
}
