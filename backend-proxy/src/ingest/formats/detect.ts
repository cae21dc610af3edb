// Which flow-log format a body is, from its first bytes (after gunzip). Works on a prefix
// (a few KB), so it looks for markers instead of parsing whole JSON documents.

export type FlowFormat = 'azure-nsg' | 'azure-vnet' | 'aws-vpc' | 'gcp-vpc' | 'ndjson';

/** How many leading characters detectFormat needs at most; pass at least this many when available. */
export const DETECT_BYTES = 8192;

const AWS_HEADER_WORD = /^(version|account-id|interface-id|srcaddr|dstaddr|srcport|dstport|protocol|packets|bytes|start|end|action|log-status|vpc-id|subnet-id|instance-id|tcp-flags|type|pkt-srcaddr|pkt-dstaddr|region|az-id|sublocation-type|sublocation-id|pkt-src-aws-service|pkt-dst-aws-service|flow-direction|traffic-path|ecs-[a-z-]+|reject-reason|resource-type|tgw-[a-z-]+|packets-lost-[a-z-]+)$/;

export function detectFormat(firstBytes: string): FlowFormat | null {
  const text = firstBytes.replace(/^\uFEFF/, '').slice(0, DETECT_BYTES);
  const start = text.trimStart();
  if (start === '') return null;
  if (start[0] === '{' || start[0] === '[') return detectJson(start);
  return detectText(start);
}

function detectJson(text: string): FlowFormat | null {
  // Order matters: GCP payloads also contain "src_ip"; VNet and NSG both have "flowTuples".
  if (/"jsonPayload"\s*:/.test(text) || /vpc_flows"/.test(text) || /"reporter"\s*:\s*"(SRC|DEST)"/.test(text)) return 'gcp-vpc';
  if (/"flowLogVersion"\s*:/.test(text) || /"FlowLogFlowEvent"/.test(text) || /"flowRecords"\s*:/.test(text)) return 'azure-vnet';
  if (/"NetworkSecurityGroupFlowEvent"/.test(text) || (/"flowTuples"\s*:/.test(text) && /"[Vv]ersion"\s*:\s*[12]\b/.test(text)) || /"macAddress"\s*:.*"flowTuples"/s.test(text)) return 'azure-nsg';
  if (/"logEvents"\s*:/.test(text) && /"messageType"\s*:/.test(text)) return 'aws-vpc';
  if (/"src_ip"\s*:/.test(text) && /"dst_ip"\s*:/.test(text)) return 'ndjson';
  return null;
}

function detectText(text: string): FlowFormat | null {
  const nl = text.indexOf('\n');
  const line = (nl === -1 ? text : text.slice(0, nl)).trim();
  const tokens = line.split(/\s+/);
  if (tokens.length >= 2 && tokens.every((t) => AWS_HEADER_WORD.test(t))) return 'aws-vpc';
  // A data line: space-separated, with an AWS id, action or log-status among the tokens.
  if (tokens.length >= 4 && tokens.some((t) => /^(eni-|tgw-|vpc-|subnet-)[0-9a-z]+/.test(t) || t === 'ACCEPT' || t === 'REJECT' || t === 'NODATA' || t === 'SKIPDATA')) return 'aws-vpc';
  return null;
}
