import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { detectFormat } from './detect.js';
import { FIXTURES, fixtureText } from './test-fixtures.js';

test('every public fixture of a text format is detected as its folder', () => {
  let checked = 0;
  for (const dir of ['azure-nsg', 'azure-vnet', 'aws-vpc', 'gcp-vpc']) {
    for (const file of readdirSync(new URL(`${dir}/`, FIXTURES))) {
      // Detection sees only a prefix of the body.
      assert.equal(detectFormat(fixtureText(`${dir}/${file}`).slice(0, 4096)), dir, `${dir}/${file}`);
      checked++;
    }
  }
  assert.equal(checked, 14);
});

test('NDJSON, NSG single record, gzip-free garbage and empty input', () => {
  assert.equal(detectFormat('{"time":"2026-01-01T00:00:00Z","src_ip":"10.0.0.1","dst_ip":"10.0.0.2","protocol":6}\n'), 'ndjson');
  assert.equal(detectFormat('\uFEFF  {"records":[{"time":"x","category":"NetworkSecurityGroupFlowEvent"'), 'azure-nsg');
  assert.equal(detectFormat('{"properties":{"Version":2,"flows":[{"rule":"r","flows":[{"mac":"00","flowTuples":['), 'azure-nsg');
  assert.equal(detectFormat('[{"insertId":"a","jsonPayload":{"connection":{"src_ip":"10.0.0.1"'), 'gcp-vpc');
  assert.equal(detectFormat('srcaddr dstaddr start end\n'), 'aws-vpc');
  assert.equal(detectFormat('hello world, this is not a flow log'), null);
  assert.equal(detectFormat('{"foo":1}'), null);
  assert.equal(detectFormat('   \n'), null);
});
