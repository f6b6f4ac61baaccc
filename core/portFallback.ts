/**
 * The port rule every listener follows: a default port that is taken is replaced by a free one
 * (so `npm start` works on a machine already running Mosquitto on 1883), while a port the user set
 * explicitly and is taken is an error that says so.
 */

export interface PortChoice {
  port: number;
  /** The default port was taken and this free one was used instead. */
  fellBackFrom?: number;
}

export class PortInUseError extends Error {
  readonly code = 'config.port_in_use';
}

export async function listenWithFallback(
  setting: { port: number; explicit: boolean },
  variable: string,
  listen: (port: number) => Promise<number>,
): Promise<PortChoice> {
  try {
    return { port: await listen(setting.port) };
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    if (setting.explicit) {
      throw new PortInUseError(
        `${variable}=${setting.port}: that port is already in use by another program. Choose a free port, or unset ${variable} to let Smartplace pick one.`,
      );
    }
    return { port: await listen(0), fellBackFrom: setting.port };
  }
}

/** The host a local client uses to reach a listener bound to `bindHost` (a wildcard bind is reached on loopback). */
export function localHost(bindHost: string): string {
  return bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
}
