import { candidatePorts, checkHandshakeEnv, handshakeLine } from './handshake';
import { log } from './log';
import { createServer, listen } from './server';

/**
 * Entry point of the executable Grafana starts (gpx_flowatlas_linux_amd64): check the handshake
 * environment, serve gRPC on a port of the offered range, and announce it on stdout.
 */

// stdout belongs to the handshake; a stray console.log must not go there
console.log = (...args: unknown[]) => log('info', args.map(String).join(' '));
console.info = console.log;
console.debug = (...args: unknown[]) => log('debug', args.map(String).join(' '));
console.warn = (...args: unknown[]) => log('warn', args.map(String).join(' '));
console.error = (...args: unknown[]) => log('error', args.map(String).join(' '));

process.on('uncaughtException', (err) => log('error', 'uncaught exception', { error: String(err?.stack ?? err) }));
process.on('unhandledRejection', (err) => log('error', 'unhandled rejection', { error: String((err as Error)?.stack ?? err) }));

async function main(): Promise<void> {
  const check = checkHandshakeEnv(process.env);
  if (!check.ok) {
    process.stderr.write(check.message + '\n');
    process.exit(1);
  }
  let stopping = false;
  const stop = () => {
    if (stopping) {
      return;
    }
    stopping = true;
    server.tryShutdown(() => process.exit(0));
    // in-flight queries get a moment; then go regardless
    setTimeout(() => process.exit(0), 2000).unref();
  };
  const server = createServer(stop);
  const port = await listen(server, candidatePorts(check.env));
  process.stdout.write(handshakeLine(port));
  log('info', 'FlowAtlas backend started', { port, pid: process.pid, node: process.version });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  log('error', 'FlowAtlas backend failed to start', { error: String(err?.stack ?? err) });
  process.exit(1);
});
