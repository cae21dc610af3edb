/**
 * Serves one PGlite instance over the PostgreSQL wire protocol on loopback, one session at a time.
 *
 * Why not PGLiteSocketServer (pglite-socket 0.0.22) itself: it rejects a second connection with a
 * reset instead of letting it wait, and when a client drops its socket in the middle of a query
 * (a client-side query timeout does exactly that) the handler is never removed from its set, so
 * every later connection is refused for good — the embedded database is wedged until restart.
 * Here the per-socket protocol handling is still pglite-socket's handler; what changes is the
 * bookkeeping around it: later connections wait in line (for a bounded time, then get a proper
 * PostgreSQL error), a handler that ends in any way frees the slot, and each new session starts
 * clean (no half-finished extended query, open transaction or prepared statement of the one before).
 */
import net from 'node:net';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

/** The part of PGlite this server needs (the TimescaleDB build and upstream share it). */
export interface WireDatabase {
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRaw(message: Uint8Array): Promise<Uint8Array>;
  exec(sql: string): Promise<unknown>;
  isInTransaction(): boolean;
}

export interface EmbeddedSocketServerOptions {
  db: WireDatabase;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** How long a connection may wait for the session slot before it is turned away. */
  waitTimeoutMs?: number;
}

type HandlerQueue = ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'];

/** PostgreSQL's Sync message: ends an extended-query sequence a dropped client left half done. */
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/** A FATAL ErrorResponse (53300 too_many_connections) so clients show a message, not a reset. */
export function tooManyConnectionsMessage(text: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from('SFATAL\0VFATAL\0C53300\0'),
    Buffer.from(`M${text}\0`),
    Buffer.from('\0'),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

export class EmbeddedSocketServer {
  private readonly db: WireDatabase;
  private readonly waitTimeoutMs: number;
  private server: net.Server | null = null;
  private active: PGLiteSocketHandler | null = null;
  private readonly waiting: { socket: net.Socket; timer: NodeJS.Timeout }[] = [];
  private stopping = false;
  port = 0;

  constructor(private readonly options: EmbeddedSocketServerOptions) {
    this.db = options.db;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 60_000;
  }

  async start(): Promise<void> {
    const server = net.createServer((socket) => this.enqueue(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const { socket, timer } of this.waiting.splice(0)) {
      clearTimeout(timer);
      socket.destroy();
    }
    await this.active?.detach(true);
    this.active = null;
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private enqueue(socket: net.Socket): void {
    if (this.stopping) return void socket.destroy();
    // Bytes a waiting client sends (its startup message) stay in the socket until it is attached.
    socket.pause();
    const timer = setTimeout(() => {
      const index = this.waiting.findIndex((w) => w.socket === socket);
      if (index >= 0) this.waiting.splice(index, 1);
      const reason = `the embedded database serves one connection at a time; waited ${this.waitTimeoutMs} ms for the one in use`;
      // Destroyed once written: a paused socket would never read the client's FIN and never close.
      socket.end(tooManyConnectionsMessage(reason), () => socket.destroy());
    }, this.waitTimeoutMs);
    const entry = { socket, timer };
    this.waiting.push(entry);
    // A client that gives up while waiting leaves the line.
    socket.once('close', () => {
      const index = this.waiting.indexOf(entry);
      if (index >= 0) {
        clearTimeout(timer);
        this.waiting.splice(index, 1);
      }
    });
    void this.next();
  }

  private async next(): Promise<void> {
    if (this.active || this.stopping) return;
    const entry = this.waiting.shift();
    if (!entry) return;
    clearTimeout(entry.timer);
    const { socket } = entry;
    if (socket.destroyed) return this.next();
    const handler = new PGLiteSocketHandler({ queryQueue: this.queue() as HandlerQueue, closeOnDetach: true });
    this.active = handler;
    let released = false;
    // The handler reports an end as either 'close' or 'error' (never both): either frees the slot.
    const release = (): void => {
      if (released) return;
      released = true;
      if (this.active === handler) this.active = null;
      void this.next();
    };
    handler.addEventListener('close', release);
    handler.addEventListener('error', release);
    try {
      await this.resetSession();
      await handler.attach(socket);
      socket.resume();
    } catch {
      socket.destroy();
      release();
    }
  }

  /** Whatever the previous client left behind must not leak into the next session. */
  private async resetSession(): Promise<void> {
    await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC));
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    // Not DISCARD ALL: in PGlite it also leaves search_path at pg_catalog, hiding TimescaleDB's functions.
    await this.db.exec('DEALLOCATE ALL; CLOSE ALL; RESET ROLE');
  }

  /** The queue interface pglite-socket's handler calls; with one session at a time it is a mutex. */
  private queue(): Pick<HandlerQueue, 'enqueue' | 'clearQueueForHandler' | 'clearTransactionIfNeeded'> {
    const db = this.db;
    return {
      enqueue: (_handlerId: number, message: Uint8Array) => db.runExclusive(() => db.execProtocolRaw(message)),
      clearQueueForHandler: () => undefined,
      clearTransactionIfNeeded: async () => {
        if (db.isInTransaction()) await db.exec('ROLLBACK');
      },
    };
  }
}
