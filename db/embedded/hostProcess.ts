import { runHost } from './host.js';
import type { HostMessage, HostOptions, ParentMessage } from './protocol.js';

/**
 * Entry point of the embedded database's child process (started by EmbeddedDatabase): options
 * arrive as JSON in argv, status goes back over IPC, and the parent says when to stop.
 */

if (!process.send) {
  console.error('hostProcess.ts runs as a child process of Smartplace; use `smartplace db` to run the database on its own.');
  process.exit(2);
}
const send = (message: HostMessage) => process.send?.(message);
const options = JSON.parse(process.argv[2] ?? '{}') as HostOptions;
try {
  const stop = await runHost(options, send);
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('embedded database: shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') shutdown();
  });
  // The parent died (or closed the channel): shut down cleanly rather than linger holding the lock.
  process.on('disconnect', shutdown);
  process.on('SIGTERM', shutdown);
  // Ctrl-C is the parent's to handle: it flushes ingest first and then sends 'stop'.
  process.on('SIGINT', () => undefined);
} catch (error) {
  const failed: HostMessage = { type: 'failed', code: (error as { code?: string }).code ?? 'db.embedded_start_failed', message: (error as Error).message };
  process.exitCode = 1;
  // Disconnect only once the message is on its way, or the parent sees the exit first.
  process.send(failed, undefined, {}, () => process.disconnect());
}
