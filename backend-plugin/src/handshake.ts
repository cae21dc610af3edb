/**
 * The go-plugin handshake as Grafana sets it up: a magic cookie in the environment proves the
 * binary was started by Grafana, the host offers protocol versions, and the plugin answers on its
 * first stdout line with where it listens.
 */
export const MAGIC_COOKIE_KEY = 'grafana_plugin_type';
export const MAGIC_COOKIE_VALUE = 'datasource';
/** go-plugin's core protocol version, and the app protocol version of Grafana's plugin SDK v2. */
export const CORE_PROTOCOL_VERSION = 1;
export const APP_PROTOCOL_VERSION = 2;

export interface HandshakeEnv {
  minPort: number;
  maxPort: number;
}

export type HandshakeCheck = { ok: true; env: HandshakeEnv } | { ok: false; message: string };

export function checkHandshakeEnv(env: NodeJS.ProcessEnv): HandshakeCheck {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return {
      ok: false,
      message:
        'This binary is a Grafana plugin (the FlowAtlas data source backend); Grafana starts it, it is not meant to be run directly.',
    };
  }
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? String(APP_PROTOCOL_VERSION)).split(',').map((v) => Number(v.trim()));
  if (!offered.includes(APP_PROTOCOL_VERSION)) {
    return { ok: false, message: `Grafana offers plugin protocol versions ${env.PLUGIN_PROTOCOL_VERSIONS}; this plugin speaks ${APP_PROTOCOL_VERSION}` };
  }
  // go-plugin uses 10000-25000 when the host sets no range
  const minPort = Number(env.PLUGIN_MIN_PORT || 10000);
  const maxPort = Number(env.PLUGIN_MAX_PORT || 25000);
  if (!Number.isInteger(minPort) || !Number.isInteger(maxPort) || minPort < 1 || maxPort > 65535 || minPort > maxPort) {
    return { ok: false, message: `invalid port range PLUGIN_MIN_PORT=${env.PLUGIN_MIN_PORT} PLUGIN_MAX_PORT=${env.PLUGIN_MAX_PORT}` };
  }
  return { ok: true, env: { minPort, maxPort } };
}

/** `1|2|tcp|127.0.0.1:<port>|grpc`: what go-plugin reads from the first stdout line. */
export function handshakeLine(port: number): string {
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|tcp|127.0.0.1:${port}|grpc\n`;
}

/** Ports to try in order, starting at a random one so two plugins starting together rarely collide. */
export function candidatePorts(range: HandshakeEnv, random = Math.random): number[] {
  const size = range.maxPort - range.minPort + 1;
  const start = Math.floor(random() * size);
  return Array.from({ length: size }, (_, i) => range.minPort + ((start + i) % size));
}
