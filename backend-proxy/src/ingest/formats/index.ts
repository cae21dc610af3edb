// Public surface of the format parsers: one place for the routes and the CLI to import from.
export * from './aws-vpc.js';
export * from './azure-nsg.js';
export * from './azure-vnet.js';
export * from './gcp-vpc.js';
export * from './ndjson.js';
export * from './detect.js';
export * from './gzip.js';
export * from './lines.js';
export * from './dispatch.js';
export * from './stream.js';
export { ResultBuilder, timeProblem, type ParseOptions } from './common.js';

export { createFlowExportDecoder, type Exporter, type FlowExportOptions, type FlowExportStats } from './netflow.js';
export { readPcapUdp, type UdpDatagram } from './pcap.js';
