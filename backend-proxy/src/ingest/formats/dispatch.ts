// Format name → parser, for whole bodies and for line-by-line streams.
import type { ParseResult } from '../../model/flow-row.js';
import { createAwsVpcParser, parseAwsVpc, type AwsVpcOptions } from './aws-vpc.js';
import { parseAzureVnet } from './azure-vnet.js';
import { createGcpVpcParser, parseGcpVpc, type GcpVpcOptions } from './gcp-vpc.js';
import { createNdjsonParser, parseNdjson } from './ndjson.js';
import type { FlowFormat } from './detect.js';
import type { LineParser } from './common.js';

export type FormatOptions = AwsVpcOptions & GcpVpcOptions;

/** Formats parsed here (azure-nsg lives in ../azure-nsg.ts). */
export type OwnFormat = Exclude<FlowFormat, 'azure-nsg'>;

/** Whole-body parse of an already decoded (gunzipped) text body. */
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

/**
 * Line-by-line parser for the formats that have one record per line: AWS text, GCP NDJSON,
 * FlowAtlas NDJSON. (A CloudWatch envelope, a GCP array / pretty-printed object and VNet blobs
 * are whole JSON documents: use parseBody or parseAzureVnetDocument.)
 */
export function createLineParser(format: 'aws-vpc' | 'gcp-vpc' | 'ndjson', options: FormatOptions = {}): StreamingParser {
  if (format === 'aws-vpc') return createAwsVpcParser(options);
  if (format === 'gcp-vpc') return createGcpVpcParser(options);
  return createNdjsonParser(options);
}
