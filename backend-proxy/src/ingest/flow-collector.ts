import { createSocket, type Socket } from 'node:dgram';
import { createFlowExportDecoder } from './formats/index.js';
import type { IngestService, ParsedBatch } from './ingest-service.js';

export interface CollectorOptions {
  port: number;
  host: string;
  /** Store what has been decoded at least this often. */
  flushIntervalMs?: number;
  /** ... or as soon as this many rows wait. */
  flushRows?: number;
}

/**
 * NetFlow v5/v9 and IPFIX over UDP: datagrams are decoded as they arrive (templates kept per
 * exporter and observation domain) and stored in batches, each batch one committed ingest.
 */
export class FlowCollector {
  private readonly decoder = createFlowExportDecoder();
  private socket: Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private datagrams = 0;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ingest: IngestService,
    private readonly options: CollectorOptions,
  ) {}

  async start(): Promise<number> {
    const socket = createSocket(this.options.host.includes(':') ? 'udp6' : 'udp4');
    this.socket = socket;
    socket.on('message', (payload, remote) => {
      this.datagrams++;
      try {
        this.decoder.decode(payload, { ip: remote.address, port: remote.port }, this.datagrams);
      } catch (err) {
        // A malformed datagram must never stop the collector.
        console.error(`[flowatlas] netflow datagram ${this.datagrams} from ${remote.address}: ${(err as Error).message}`);
      }
      if (this.pending() >= (this.options.flushRows ?? 20_000)) void this.flush();
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port, this.options.host, () => resolve());
    });
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 2_000);
    this.timer.unref();
    return socket.address().port;
  }

  private recordsAtFlush = 0;

  /** Data records decoded since the last flush (the decoder counts them; rows are about as many). */
  private pending(): number {
    return this.decoder.stats().dataRecords - this.recordsAtFlush;
  }

  /** Stores everything decoded so far (one transaction); flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      this.recordsAtFlush = this.decoder.stats().dataRecords;
      const batch = this.decoder.take();
      if (batch.rows.length === 0 && batch.errors.length === 0) return;
      await this.store(batch);
    });
    return this.flushing;
  }

  private async store(batch: ParsedBatch): Promise<void> {
    const format = batch.rows[0]?.sourceType ?? 'netflow';
    try {
      await this.ingest.ingest({
        format,
        source: null,
        batches: () => [batch],
        digest: () => ({ sha256: '', bytes: 0 }),
      });
    } catch (err) {
      console.error(`[flowatlas] storing ${batch.rows.length} netflow rows failed: ${(err as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await new Promise<void>((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
    const rest = this.decoder.end();
    if (rest.rows.length || rest.errors.length) await this.store(rest);
    await this.flushing;
  }
}
