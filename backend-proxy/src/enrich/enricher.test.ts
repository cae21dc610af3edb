import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Enricher } from './enricher.js';
import { sharedGeoLocator } from './geo.js';
import { sharedAsnLocator } from './asn.js';
import { loadNetworkConfig } from './networks.js';
import { DEMO_NETWORKS } from '../test-support/app.js';
import type { FlowRecord } from '../model/flow-row.js';

const base: FlowRecord = {
  startMs: 0, endMs: 0, srcIp: '', dstIp: '', srcPort: 51000, dstPort: 22, protocol: 6, direction: 'inbound', action: 'allow',
  flowState: null, packets: 1, bytes: 1, flows: 1, initiated: true, sourceType: 'azure-nsg', resource: null, rule: null, mac: null,
  tcpFlags: null, encryption: null, account: null, vpc: null, subnet: null, instance: null, cloudRegion: null,
};

test('inside addresses take their site; public ones country, coordinates-free AS; ports give the application', () => {
  const e = new Enricher(loadNetworkConfig(DEMO_NETWORKS), sharedGeoLocator(), sharedAsnLocator());
  const r = e.enrich({ ...base, srcIp: '1.1.1.1', dstIp: '10.10.1.4' });
  assert.equal(r.dstSite, 'azure-eastus');
  assert.equal(r.dstRegion, 'eastus');
  assert.equal(r.dstProvider, 'azure');
  assert.equal(r.dstCountry, 'US');
  assert.equal(r.srcSite, null);
  assert.equal(r.srcAsn, 13335);
  assert.ok(r.srcCountry && /^[A-Z]{2}$/.test(r.srcCountry));
  assert.equal(r.dstAsn, null);
  assert.equal(r.application, 'ssh');
  assert.equal(r.provider, 'azure');
  const london = e.enrich({ ...base, srcIp: '172.20.10.5', dstIp: '172.16.0.53', protocol: 17, srcPort: 40000, dstPort: 53 });
  assert.deepEqual([london.srcSite, london.srcCountry, london.dstSite, london.application], ['branch-london', 'GB', 'dc-chicago', 'dns']);
});

test('facts stated by the log itself win over lookups', () => {
  const e = new Enricher(loadNetworkConfig(DEMO_NETWORKS), sharedGeoLocator(), sharedAsnLocator());
  const r = e.enrich({ ...base, srcIp: '1.1.1.1', dstIp: '10.99.0.1', hints: { srcCountry: 'JP', dstRegion: 'asia-east1' } });
  assert.equal(r.srcCountry, 'JP');
  assert.equal(r.dstRegion, 'asia-east1');
  assert.equal('hints' in r, false);
});
