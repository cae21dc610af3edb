import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Enricher } from './enricher.js';
import { sharedGeoLocator } from './geo.js';
import { sharedAsnLocator } from './asn.js';
import { loadNetworkConfig, validateNetworkConfig } from './networks.js';
import { DEMO_NETWORKS } from '../test-support/app.js';
import type { FlowRecord } from '../model/flow-row.js';

const base: FlowRecord = {
  startMs: 0, endMs: 0, srcIp: '', dstIp: '', srcPort: 51000, dstPort: 22, protocol: 6, direction: 'inbound', action: 'allow',
  flowState: null, packets: 1, bytes: 1, flows: 1, initiated: true, sourceType: 'azure-nsg', resource: null, resourceGroup: null, rule: null, mac: null,
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

test('public addresses outside the estate get the cloud provider of their AS; the estate keeps its own', () => {
  const e = new Enricher(loadNetworkConfig(DEMO_NETWORKS), sharedGeoLocator(), sharedAsnLocator());
  const provider = (ip: string) => e.enrich({ ...base, srcIp: ip, dstIp: '10.10.1.4' }).srcProvider;
  assert.equal(provider('52.94.76.1'), 'aws', 'AS16509');
  assert.equal(provider('2600:1f18::1'), 'aws', 'AS14618');
  assert.equal(provider('20.190.128.1'), 'azure', 'AS8075');
  assert.equal(provider('8.8.8.8'), 'gcp', 'AS15169');
  assert.equal(provider('34.120.0.1'), 'gcp', 'AS396982');
  assert.equal(provider('1.1.1.1'), null, 'Cloudflare is not a cloud of the table');
  // Inside the estate the site's provider wins (10.10.0.0/16 is azure-eastus), both directions.
  const r = e.enrich({ ...base, srcIp: '10.10.1.4', dstIp: '52.94.76.1' });
  assert.deepEqual([r.srcProvider, r.dstProvider], ['azure', 'aws']);
  // An AS number the log states (GCP location metadata) names the cloud too.
  const hinted = e.enrich({ ...base, srcIp: '198.51.100.7', dstIp: '10.10.1.4', hints: { srcAsn: 396982 } });
  assert.equal(hinted.srcProvider, 'gcp');
});

test('both ends take their site\'s tenant and role; addresses outside the estate have none', () => {
  const networks = validateNetworkConfig({
    sites: [
      { name: 'prod', country: 'US', lat: 1, lon: 1, cidrs: ['10.1.0.0/16'], tenant: 'contoso', role: 'production' },
      { name: 'lab', country: 'US', lat: 1, lon: 1, cidrs: ['10.2.0.0/16'], tenant: 'contoso' },
    ],
  });
  const e = new Enricher(networks, null, null);
  const r = e.enrich({ ...base, srcIp: '10.1.0.5', dstIp: '10.2.0.5' });
  assert.deepEqual([r.srcTenant, r.srcRole, r.dstTenant, r.dstRole], ['contoso', 'production', 'contoso', null]);
  const out = e.enrich({ ...base, srcIp: '198.51.100.1', dstIp: '10.1.0.5' });
  assert.deepEqual([out.srcTenant, out.srcRole, out.dstTenant, out.dstRole], [null, null, 'contoso', 'production']);
});
