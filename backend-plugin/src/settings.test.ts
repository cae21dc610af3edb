import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSettings, SettingsError } from './settings';

const json = (o: unknown) => Buffer.from(JSON.stringify(o));

test('reads the proxy URL and timeout from jsonData and the token from the decrypted secrets', () => {
  assert.deepEqual(readSettings({ jsonData: json({ proxyUrl: 'http://proxy:8686/', timeoutSeconds: 30 }), decryptedSecureJsonData: { token: 't' } }), {
    proxyUrl: 'http://proxy:8686',
    token: 't',
    timeoutMs: 30_000,
  });
  assert.equal(readSettings({ jsonData: json({ proxyUrl: 'http://p' }) }).timeoutMs, 60_000);
});

test('the timeout is jsonData.timeout (the key Grafana also reads), a number or a numeric string; older settings keep timeoutSeconds', () => {
  assert.equal(readSettings({ jsonData: json({ proxyUrl: 'http://p', timeout: 90 }) }).timeoutMs, 90_000);
  assert.equal(readSettings({ jsonData: json({ proxyUrl: 'http://p', timeout: '120' }) }).timeoutMs, 120_000);
  assert.equal(readSettings({ jsonData: json({ proxyUrl: 'http://p', timeout: 20, timeoutSeconds: 30 }) }).timeoutMs, 20_000);
  assert.equal(readSettings({ jsonData: json({ proxyUrl: 'http://p', timeout: 'never' }) }).timeoutMs, 60_000);
});

test('missing settings are errors that say what to fix', () => {
  assert.throws(() => readSettings(undefined), SettingsError);
  assert.throws(() => readSettings({ jsonData: json({}) }), /proxy URL is not set/);
  assert.throws(() => readSettings({ jsonData: Buffer.from('{') }), /not valid JSON/);
});
