import { resolve } from 'node:path';
import { anyToken, type ApiTokens } from './routes/auth.js';
import { DEFAULT_MAX_RECORD_BYTES } from './ingest/formats/stream.js';

/** Everything the proxy reads from its environment, parsed once at start-up. */
export interface ProxyConfig {
  /** External PostgreSQL/TimescaleDB; null → the embedded PGlite + TimescaleDB default. */
  databaseUrl: string | null;
  /** How long start-up waits for a DATABASE_URL server that is not answering yet (ms). */
  databaseWaitMs: number;
  dataDir: string;
  port: number;
  /** Without any token the proxy refuses to listen beyond loopback. */
  host: string;
  /** FLOWATLAS_TOKEN (every scope); the same as tokens.all. */
  token: string | null;
  /** Bearer tokens per scope (routes/auth.ts). */
  tokens: ApiTokens;
  networksFile: string | null;
  bodyLimitBytes: number;
  /** Longest single record (line or JSON record) after decompression; a longer one is rejected unread. */
  maxRecordBytes: number;
  /**
   * Longest a request may take to arrive (Node's requestTimeout). An ingest body streams at the
   * rate the database takes it, so a 500 MB object needs far more than a query; headers still
   * have to arrive within Node's 60 s headersTimeout, which is what stops slow-header clients.
   */
  requestTimeoutMs: number;
  queryTimeoutMs: number;
  maxRows: number;
  maxSeries: number;
  maxTopN: number;
  /** UDP port for NetFlow v5/v9 and IPFIX export (0 = no collector). */
  netflowPort: number;
  demoFlows: number;
  demoSeed: number | null;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return Math.floor(value);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProxyConfig {
  const token = env.FLOWATLAS_TOKEN?.trim() || null;
  const tokens: ApiTokens = { all: token, ingest: env.FLOWATLAS_INGEST_TOKEN?.trim() || null, query: env.FLOWATLAS_QUERY_TOKEN?.trim() || null };
  const secured = anyToken(tokens);
  const requestedHost = env.FLOWATLAS_HOST?.trim() || (secured ? '0.0.0.0' : '127.0.0.1');
  return {
    databaseUrl: env.DATABASE_URL?.trim() || null,
    databaseWaitMs: intFrom(env, 'FLOWATLAS_DATABASE_WAIT_MS', 120_000),
    dataDir: resolve(env.FLOWATLAS_DATA_DIR?.trim() || './data'),
    port: intFrom(env, 'FLOWATLAS_PORT', 8686),
    // An open API on a public interface would hand flow data to anyone: loopback only without a token.
    host: secured ? requestedHost : '127.0.0.1',
    token,
    tokens,
    networksFile: env.FLOWATLAS_NETWORKS?.trim() || null,
    bodyLimitBytes: intFrom(env, 'FLOWATLAS_BODY_LIMIT', 512 * 1024 * 1024),
    maxRecordBytes: intFrom(env, 'FLOWATLAS_MAX_RECORD_BYTES', DEFAULT_MAX_RECORD_BYTES),
    requestTimeoutMs: intFrom(env, 'FLOWATLAS_REQUEST_TIMEOUT_MS', 60 * 60_000),
    queryTimeoutMs: intFrom(env, 'FLOWATLAS_QUERY_TIMEOUT_MS', 30_000),
    maxRows: intFrom(env, 'FLOWATLAS_MAX_ROWS', 10_000),
    maxSeries: intFrom(env, 'FLOWATLAS_MAX_SERIES', 200),
    maxTopN: intFrom(env, 'FLOWATLAS_MAX_TOPN', 1_000),
    netflowPort: intFrom(env, 'FLOWATLAS_NETFLOW_PORT', 0),
    demoFlows: intFrom(env, 'FLOWATLAS_DEMO_FLOWS', 1_000_000),
    demoSeed: env.FLOWATLAS_DEMO_SEED ? intFrom(env, 'FLOWATLAS_DEMO_SEED', 1) : null,
  };
}
