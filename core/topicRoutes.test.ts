import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPIC_PATTERNS, routeTopic, topicRoute, topicRoutes } from './topicRoutes.js';

describe('topicRoute', () => {
  it('turns the placeholder into a + level for the subscription and reads the device back', () => {
    const route = topicRoute('smartplace', 'council/v1/devices/{device}/readings');
    expect(route.filter).toBe('council/v1/devices/+/readings');
    expect(route.match('council/v1/devices/aq-001/readings')).toBe('aq-001');
    expect(route.match('council/v1/devices/aq-001/status')).toBeUndefined();
    expect(route.match('council/v1/devices/a/b/readings')).toBeUndefined();
  });

  it('finds a placeholder inside a level, as in SensorThings topics', () => {
    const route = topicRoute('sensorthings', 'v1.1/Datastreams({device})/Observations');
    expect(route.filter).toBe('v1.1/+/Observations');
    expect(route.match('v1.1/Datastreams(17)/Observations')).toBe('17');
    expect(route.match("v1.1/Datastreams('no2-a')/Observations")).toBe("'no2-a'");
    expect(route.match('v1.1/Things(17)/Observations')).toBeUndefined();
  });

  it('matches + as one level and # as any number, including none', () => {
    const tts = topicRoute('tts-v3', 'v3/+/devices/{device}/up');
    expect(tts.match('v3/air@council/devices/eui-70b3/up')).toBe('eui-70b3');
    expect(tts.match('v3/devices/eui-70b3/up')).toBeUndefined();
    const all = topicRoute('senml', 'sensors/#');
    expect(all.filter).toBe('sensors/#');
    expect(all.match('sensors')).toBe('');
    expect(all.match('sensors/a/b')).toBe('');
    expect(all.match('sensorsX/a')).toBeUndefined();
  });

  it('treats regular-expression characters in a pattern literally', () => {
    const route = topicRoute('senml', 'a.b/{device}');
    expect(route.match('aXb/dev')).toBeUndefined();
    expect(route.match('a.b/dev')).toBe('dev');
  });

  it.each([
    ['', /levels must not be empty/],
    ['a//b', /levels must not be empty/],
    ['$SYS/x', /must not start with \$/],
    ['a/#/b', /# must be the last level/],
    ['a/b+/c', /\+ and # must fill a whole level/],
    ['a/{device}/{device}', /may appear once/],
  ])('refuses the pattern "%s"', (pattern, message) => {
    expect(() => topicRoute('smartplace', pattern)).toThrow(message);
  });
});

describe('topicRoutes and routeTopic', () => {
  const routes = topicRoutes('smartplace', DEFAULT_TOPIC_PATTERNS);

  it('routes each default topic to its format and names the device', () => {
    expect(routes.map(({ filter }) => filter)).toEqual([
      'smartplace/v1/devices/+/readings',
      'v3/+/devices/+/up',
      'application/+/device/+/event/up',
      'smartplace/v1/sensor-community/+',
      'smartplace/v1/senml/+',
      'v1.1/+/Observations',
    ]);
    const found = (topic: string) => {
      const routed = routeTopic(routes, topic);
      return routed && [routed.route.format, routed.topicKey];
    };
    expect(found('smartplace/v1/devices/aq-1/readings')).toEqual(['smartplace', 'aq-1']);
    expect(found('v3/app@ttn/devices/eui-1/up')).toEqual(['tts-v3', 'eui-1']);
    expect(found('application/7/device/0004a30b001c0530/event/up')).toEqual(['chirpstack-v4', '0004a30b001c0530']);
    expect(found('smartplace/v1/sensor-community/12345')).toEqual(['sensor-community', '12345']);
    expect(found('smartplace/v1/senml/urn:dev:mac:1')).toEqual(['senml', 'urn:dev:mac:1']);
    expect(found('v1.1/Datastreams(3)/Observations')).toEqual(['sensorthings', '3']);
    expect(found('application/7/device/0004/event/join')).toBeUndefined();
  });
});
