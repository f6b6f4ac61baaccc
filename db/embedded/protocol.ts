/** Messages between the embedded database host (child process) and the process that started it. */

export interface HostOptions {
  /** Directory for the PGlite/TimescaleDB data files. */
  dataDir: string;
  port: number;
  explicitPort: boolean;
}

export type HostMessage =
  | { type: 'ready'; port: number; fellBackFrom?: number; startupMs: number }
  | { type: 'failed'; code: string; message: string };

export type ParentMessage = { type: 'stop' };
