import type { PayloadFormat } from './device.js';

/**
 * Which MQTT topics carry which payload format, and where in the topic the device is named.
 *
 * A pattern is an MQTT topic with `+` and `#` wildcards and at most one `{device}` placeholder, which
 * may sit inside a level (`v1.1/Datastreams({device})/Observations`). Ingest subscribes to the
 * pattern with every placeholder level turned into `+`, and takes the device key out of the topic
 * of each message. Patterns are configurable per format (INGEST_TOPIC_<FORMAT>, docs/payload-formats.md).
 */

export interface TopicRoute {
  format: PayloadFormat;
  pattern: string;
  /** The subscription filter. */
  filter: string;
  /** The device key named by the topic ('' when the pattern has no placeholder), or undefined if the topic is not this route's. */
  match(topic: string): string | undefined;
}

export const DEVICE_PLACEHOLDER = '{device}';

/** Default patterns; `{prefix}` is MQTT_TOPIC_PREFIX. */
export const DEFAULT_TOPIC_PATTERNS: Readonly<Record<PayloadFormat, string>> = {
  smartplace: '{prefix}/v1/devices/{device}/readings',
  'tts-v3': 'v3/+/devices/{device}/up',
  'chirpstack-v4': 'application/+/device/{device}/event/up',
  'sensor-community': '{prefix}/v1/sensor-community/{device}',
  senml: '{prefix}/v1/senml/{device}',
  sensorthings: 'v1.1/Datastreams({device})/Observations',
};

export class TopicPatternError extends Error {
  readonly code = 'config.topic_pattern';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles one pattern; throws TopicPatternError naming what is wrong. */
export function topicRoute(format: PayloadFormat, pattern: string): TopicRoute {
  const levels = pattern.split('/');
  const problem = (why: string) => new TopicPatternError(`topic pattern for ${format} "${pattern}": ${why}`);
  if (pattern.length === 0 || levels.some((level) => level.length === 0)) throw problem('levels must not be empty');
  if (pattern.startsWith('$')) throw problem('must not start with $ (broker topics)');
  if (pattern.split(DEVICE_PLACEHOLDER).length > 2) throw problem(`${DEVICE_PLACEHOLDER} may appear once`);
  const parts: string[] = [];
  const filter: string[] = [];
  for (const [index, level] of levels.entries()) {
    if (level === '#') {
      if (index !== levels.length - 1) throw problem('# must be the last level');
      parts.push('(?:/.*)?');
      filter.push('#');
      continue;
    }
    if (level.includes('#') || (level.includes('+') && level !== '+')) throw problem('+ and # must fill a whole level');
    const slash = index === 0 ? '' : '/';
    if (level === '+') {
      parts.push(`${slash}[^/]+`);
      filter.push('+');
    } else if (level.includes(DEVICE_PLACEHOLDER)) {
      const [before = '', after = ''] = level.split(DEVICE_PLACEHOLDER);
      parts.push(`${slash}${escapeRegExp(before)}([^/]+?)${escapeRegExp(after)}`);
      filter.push('+');
    } else {
      parts.push(`${slash}${escapeRegExp(level)}`);
      filter.push(level);
    }
  }
  // A pattern starting with # matches every topic level including none.
  const source = parts[0] === '(?:/.*)?' ? '.*' : parts.join('');
  const regExp = new RegExp(`^${source}$`);
  return {
    format,
    pattern,
    filter: filter.join('/'),
    match(topic) {
      const found = regExp.exec(topic);
      if (!found) return undefined;
      return found[1] ?? '';
    },
  };
}

/**
 * The routes for the enabled formats, in PAYLOAD_FORMATS order. Two routes whose patterns could
 * both match one topic are allowed; the first one matching wins.
 */
export function topicRoutes(prefix: string, patterns: Partial<Record<PayloadFormat, string>>): TopicRoute[] {
  return (Object.entries(patterns) as [PayloadFormat, string][]).map(([format, pattern]) => topicRoute(format, pattern.replaceAll('{prefix}', prefix)));
}

/** The route a topic belongs to, and the device key it names. */
export function routeTopic(routes: readonly TopicRoute[], topic: string): { route: TopicRoute; topicKey: string } | undefined {
  for (const route of routes) {
    const topicKey = route.match(topic);
    if (topicKey !== undefined) return { route, topicKey };
  }
  return undefined;
}
