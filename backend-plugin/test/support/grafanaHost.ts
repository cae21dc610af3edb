import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Plays Grafana's side of the plugin protocol: starts the built executable the way Grafana's
 * go-plugin host does (no shell, an almost empty environment, no PATH), reads the handshake line
 * and opens gRPC clients on the announced address.
 */
export const EXECUTABLE = path.resolve(__dirname, '../../../dist/datasource/gpx_flowatlas_linux_amd64');
export const EXECUTABLE_ARM64 = path.resolve(__dirname, '../../../dist/datasource/gpx_flowatlas_linux_arm64');

/** Debian's qemu-user-static with the arm64 cross runtime: how an x86 machine runs the arm64 build. */
export const QEMU_ARM64 = { emulator: '/usr/bin/qemu-aarch64-static', sysroot: '/usr/aarch64-linux-gnu' };

export function qemuArm64Missing(): string | null {
  if (process.arch === 'arm64') return null;
  if (!fs.existsSync(EXECUTABLE_ARM64)) return `${EXECUTABLE_ARM64} was not built`;
  if (!fs.existsSync(QEMU_ARM64.emulator)) return `${QEMU_ARM64.emulator} is missing (scripts/ensure-qemu-arm64.sh installs it)`;
  if (!fs.existsSync(path.join(QEMU_ARM64.sysroot, 'lib/ld-linux-aarch64.so.1'))) return `the arm64 runtime in ${QEMU_ARM64.sysroot} is missing (scripts/ensure-qemu-arm64.sh)`;
  return null;
}

export interface StartOptions {
  executable?: string;
  /** Run the executable under qemu (an arm64 build on an x86 machine). */
  emulateArm64?: boolean;
}
const PROTO = path.resolve(__dirname, '../../proto');

type Client = grpc.Client & Record<string, (req: unknown, cb: (err: grpc.ServiceError | null, res: any) => void) => void>;

export interface PluginHost {
  child: ChildProcess;
  handshake: string;
  port: number;
  stderrLines: string[];
  call<T = any>(service: 'data' | 'diagnostics' | 'health' | 'controller', method: string, request: unknown): Promise<T>;
  exited: Promise<number | null>;
  kill(): Promise<void>;
}

function clients(address: string): Record<string, Client> {
  const definition = loadSync(['backend.proto', 'health.proto', 'controller.proto'], {
    includeDirs: [PROTO],
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as any;
  const credentials = grpc.credentials.createInsecure();
  return {
    data: new loaded.pluginv2.Data(address, credentials),
    diagnostics: new loaded.pluginv2.Diagnostics(address, credentials),
    health: new loaded.grpc.health.v1.Health(address, credentials),
    controller: new loaded.plugin.GRPCController(address, credentials),
  };
}

export async function startPlugin(range: { min: number; max: number }, timeoutMs = 60_000, options: StartOptions = {}): Promise<PluginHost> {
  const executable = options.executable ?? EXECUTABLE;
  const emulate = options.emulateArm64 && process.arch !== 'arm64';
  const env: Record<string, string> = {
    grafana_plugin_type: 'datasource',
    PLUGIN_PROTOCOL_VERSIONS: '2',
    PLUGIN_MIN_PORT: String(range.min),
    PLUGIN_MAX_PORT: String(range.max),
  };
  // qemu reads the arm64 dynamic loader and libraries from the sysroot; Grafana's env stays as is
  if (emulate) env.QEMU_LD_PREFIX = QEMU_ARM64.sysroot;
  const child = spawn(emulate ? QEMU_ARM64.emulator : executable, emulate ? [executable] : [], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderrLines: string[] = [];
  let stderrRest = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const parts = (stderrRest + chunk.toString()).split('\n');
    stderrRest = parts.pop() ?? '';
    stderrLines.push(...parts.filter((l) => l !== ''));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handshake = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no handshake within ${timeoutMs} ms; stderr:\n${stderrLines.join('\n')}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, newline));
      }
    });
    void exited.then((code) => reject(new Error(`plugin exited (${code}) before the handshake:\n${stderrLines.join('\n')}`)));
  });
  const port = Number(/:(\d+)\|grpc$/.exec(handshake)?.[1]);
  const rpc = clients(`127.0.0.1:${port}`);
  return {
    child,
    handshake,
    port,
    stderrLines,
    exited,
    call(service, method, request) {
      return new Promise((resolve, reject) =>
        rpc[service][method](request, (err, res) => (err ? reject(err) : resolve(res)))
      );
    },
    async kill() {
      Object.values(rpc).forEach((c) => c.close());
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
