import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import backendProto from '../proto/backend.proto';
import controllerProto from '../proto/controller.proto';
import healthProto from '../proto/health.proto';

/**
 * The gRPC service definitions, parsed from the .proto texts embedded in the bundle (a single
 * executable has no files next to it to load them from at run time).
 * int64 as JS numbers: the only int64s are epoch milliseconds, ids and intervals.
 */
export function loadServices() {
  const root = new protobuf.Root();
  for (const text of [backendProto, controllerProto, healthProto]) {
    protobuf.parse(text, root, { keepCase: true });
  }
  const definition = fromJSON(root.toJSON(), { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    pluginv2: { Data: grpc.ServiceClientConstructor; Diagnostics: grpc.ServiceClientConstructor };
    plugin: { GRPCController: grpc.ServiceClientConstructor };
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  };
  return {
    data: loaded.pluginv2.Data.service,
    diagnostics: loaded.pluginv2.Diagnostics.service,
    controller: loaded.plugin.GRPCController.service,
    health: loaded.grpc.health.v1.Health.service,
  };
}
