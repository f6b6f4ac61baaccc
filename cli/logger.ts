import { pino, type Logger } from 'pino';
import type { Config } from '../core/config.js';

/** Structured JSON logs (one object per line); human-readable when writing to a terminal. */
export function createLogger(config: Config['log']): Logger {
  return pino({
    level: config.level,
    base: { service: 'smartplace' },
    ...(config.format === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname,service', translateTime: 'HH:MM:ss' } } }
      : {}),
  });
}
