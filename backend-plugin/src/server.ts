import * as grpc from '@grpc/grpc-js';
import { DataQueryMessage } from './compile';
import { checkHealth } from './health';
import { log } from './log';
import { loadServices } from './protocol';
import { queryData } from './queryData';
import { InstanceSettingsMessage } from './settings';

/** gRPC wiring only: each handler delegates to a module and never lets an exception escape. */
interface PluginContextMessage {
  dataSourceInstanceSettings?: InstanceSettingsMessage | null;
}

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

function guarded<Req, Res>(name: string, run: (request: Req) => Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    run(call.request).then(
      (response) => callback(null, response),
      (err: unknown) => {
        log('error', `${name} failed`, { error: String((err as Error)?.stack ?? err) });
        callback({ code: grpc.status.INTERNAL, details: `${name}: ${(err as Error)?.message ?? String(err)}` });
      }
    );
  };
}

export function createServer(onShutdown: () => void): grpc.Server {
  const services = loadServices();
  // Grafana may send large alert queries; frames can be large too (43 200 points per series)
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024, 'grpc.max_send_message_length': -1 });
  server.addService(services.health, {
    Check: (_call: unknown, callback: grpc.sendUnaryData<{ status: string }>) => callback(null, { status: 'SERVING' }),
  });
  server.addService(services.controller, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      log('info', 'shutdown requested by Grafana');
      setImmediate(onShutdown);
    },
  });
  server.addService(services.diagnostics, {
    CheckHealth: guarded('CheckHealth', async (req: { pluginContext?: PluginContextMessage }) => {
      const verdict = await checkHealth(req.pluginContext?.dataSourceInstanceSettings);
      return { status: verdict.ok ? 'OK' : 'ERROR', message: verdict.message, jsonDetails: Buffer.alloc(0) };
    }),
  });
  server.addService(services.data, {
    QueryData: guarded('QueryData', async (req: { pluginContext?: PluginContextMessage; queries?: DataQueryMessage[] }) => {
      const responses = await queryData(req.pluginContext?.dataSourceInstanceSettings, req.queries ?? []);
      return { responses };
    }),
  });
  return server;
}

function bind(server: grpc.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)))
  );
}

/** The first free port of the candidates (Grafana hands out a range, not a port). */
export async function listen(server: grpc.Server, ports: number[]): Promise<number> {
  let last: unknown;
  for (const port of ports) {
    try {
      return await bind(server, port);
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`no free port in the range offered by Grafana: ${String(last)}`);
}
