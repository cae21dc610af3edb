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

test('missing settings are errors that say what to fix', () => {
  assert.throws(() => readSettings(undefined), SettingsError);
  assert.throws(() => readSettings({ jsonData: json({}) }), /proxy URL is not set/);
  assert.throws(() => readSettings({ jsonData: Buffer.from('{') }), /not valid JSON/);
});
