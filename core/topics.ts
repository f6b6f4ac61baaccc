/**
 * MQTT topic layout. Devices publish under `{prefix}/v1/devices/{deviceId}/readings`; services talk
 * to each other under `{prefix}/internal/v1/…`, which devices must never be allowed to publish to.
 */
export interface Topics {
  /** Subscription filter for every device's native readings. */
  readingsFilter: string;
  readings(deviceId: string): string;
  /** Parses a device id out of a readings topic; undefined if the topic is not one. */
  deviceIdOf(topic: string): string | undefined;
  /** Committed readings, published by ingest after each batch commit, consumed by the server. */
  stored: string;
  ingestStatus(instanceId: string): string;
  ingestStatusFilter: string;
}

export function topicsFor(prefix: string): Topics {
  const devices = `${prefix}/v1/devices/`;
  return {
    readingsFilter: `${devices}+/readings`,
    readings: (deviceId) => `${devices}${deviceId}/readings`,
    deviceIdOf(topic) {
      if (!topic.startsWith(devices) || !topic.endsWith('/readings')) return undefined;
      const id = topic.slice(devices.length, -'/readings'.length);
      return id.length > 0 && !id.includes('/') ? id : undefined;
    },
    stored: `${prefix}/internal/v1/stored`,
    ingestStatus: (instanceId) => `${prefix}/internal/v1/ingest/${instanceId}/status`,
    ingestStatusFilter: `${prefix}/internal/v1/ingest/+/status`,
  };
}
