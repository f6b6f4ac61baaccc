import { z } from 'zod';

/**
 * Device ids appear in MQTT topics and URLs, so they may not contain `/`, `+`, `#` or spaces.
 */
export const DeviceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a device id is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');

export type DeviceId = z.infer<typeof DeviceIdSchema>;
