import { describe, expect, it } from 'vitest';
import { PortInUseError, listenWithFallback, localHost } from './portFallback.js';

const inUse = () => Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });

describe('listenWithFallback', () => {
  it('uses the port when it is free', async () => {
    expect(await listenWithFallback({ port: 8080, explicit: false }, 'PORT', async (port) => port)).toEqual({ port: 8080 });
  });

  it('takes a free port when the default is taken, and says which it replaced', async () => {
    const tried: number[] = [];
    const choice = await listenWithFallback({ port: 1883, explicit: false }, 'MQTT_PORT', async (port) => {
      tried.push(port);
      if (port === 1883) throw inUse();
      return 41234;
    });
    expect(tried).toEqual([1883, 0]);
    expect(choice).toEqual({ port: 41234, fellBackFrom: 1883 });
  });

  it('is an error naming the variable when an explicit port is taken', async () => {
    const attempt = listenWithFallback({ port: 8080, explicit: true }, 'PORT', async () => {
      throw inUse();
    });
    await expect(attempt).rejects.toThrow(PortInUseError);
    await expect(attempt).rejects.toThrow(/PORT=8080: that port is already in use/);
  });

  it('passes other errors through', async () => {
    const denied = Object.assign(new Error('listen EACCES'), { code: 'EACCES' });
    await expect(
      listenWithFallback({ port: 80, explicit: false }, 'PORT', async () => {
        throw denied;
      }),
    ).rejects.toBe(denied);
  });
});

describe('localHost', () => {
  it('reaches a wildcard bind on loopback and any other address as it is', () => {
    expect(localHost('0.0.0.0')).toBe('127.0.0.1');
    expect(localHost('::')).toBe('127.0.0.1');
    expect(localHost('192.168.1.20')).toBe('192.168.1.20');
  });
});
