// The key store reads SecretStorage once per key (each read is a round trip to the workbench) and sees
// every change at once: its own writes and changes made elsewhere (another window, Sign Out).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { KeyStore } from '../../src/auth/keyStore';
import { StorageKeys } from '../../src/constants';

/** A SecretStorage that counts reads and can announce a change made elsewhere. */
function countingSecrets(): { secrets: vscode.SecretStorage; reads: () => number; changeElsewhere: (key: string, value: string | undefined) => void } {
  const values = new Map<string, string>();
  const emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  let reads = 0;
  const secrets: vscode.SecretStorage = {
    get: (key) => {
      reads++;
      return Promise.resolve(values.get(key));
    },
    store: (key, value) => {
      values.set(key, value);
      emitter.fire({ key });
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      emitter.fire({ key });
      return Promise.resolve();
    },
    onDidChange: emitter.event,
  };
  const changeElsewhere = (key: string, value: string | undefined): void => {
    if (value === undefined) values.delete(key);
    else values.set(key, value);
    emitter.fire({ key });
  };
  return { secrets, reads: () => reads, changeElsewhere };
}

suite('key store', () => {
  test('one SecretStorage read per host however many requests; a change is seen at once', async () => {
    const { secrets, reads, changeElsewhere } = countingSecrets();
    const keys = new KeyStore(secrets, {});
    try {
      const host = 'https://eu.posthog.com';
      await keys.set(host, 'phx_first');
      const before = reads();
      const got = await Promise.all(Array.from({ length: 20 }, () => keys.get(host)));
      assert.deepEqual(new Set(got), new Set(['phx_first']));
      assert.equal(reads() - before, 1, 'twenty requests, one read');

      await keys.set(host, 'phx_second');
      assert.equal(await keys.get(host), 'phx_second', 'its own write');
      changeElsewhere(`${StorageKeys.secretPrefix}${host}`, 'phx_third');
      assert.equal(await keys.get(host), 'phx_third', 'a change made in another window');
      await keys.delete(host);
      assert.equal(await keys.get(host), undefined, 'signed out');
    } finally {
      keys.dispose();
    }
  });
});
