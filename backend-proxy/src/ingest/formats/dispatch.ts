// Format name → parser, for whole in-memory bodies and for line-by-line streams.
import type { ParseResult } from '../../model/flow-row.js';
import { createAwsVpcParser, parseAwsVpc, type AwsVpcOptions } from './aws-vpc.js';
import { parseAzureVnet } from './azure-vnet.js';
import { parseGcpVpc, type GcpVpcOptions } from './gcp-vpc.js';
import { createNdjsonParser, parseNdjson } from './ndjson.js';
import type { FlowFormat } from './detect.js';
import type { LineParser } from './common.js';

export type FormatOptions = AwsVpcOptions & GcpVpcOptions;

/** Formats with a whole-body helper here (azure-nsg has parseAzureNsg in ./azure-nsg.ts). */
export type OwnFormat = Exclude<FlowFormat, 'azure-nsg'>;

/** Whole-body parse of an already decoded (gunzipped) text body (tests and small bodies). */
export function parseBody(format: OwnFormat, text: string, options: FormatOptions = {}): ParseResult {
  switch (format) {
    case 'aws-vpc':
      return parseAwsVpc(text, options);
    case 'azure-vnet':
      return parseAzureVnet(text, options);
    case 'gcp-vpc':
      return parseGcpVpc(text, options);
    case 'ndjson':
      return parseNdjson(text, options);
  }
}

export type StreamingParser = LineParser;

/** Line-by-line parser of the formats with one record per text line: AWS text and FlowAtlas NDJSON. */
export function createLineParser(format: 'aws-vpc' | 'ndjson', options: FormatOptions = {}): StreamingParser {
  if (format === 'aws-vpc') return createAwsVpcParser(options);
  return createNdjsonParser(options);
}
