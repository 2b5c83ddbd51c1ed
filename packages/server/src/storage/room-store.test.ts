import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomStore } from './room-store.js';

test('rooms survive a restart when stored in a data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'treff-store-'));
  try {
    const store = new RoomStore(dir);
    store.insert({ id: 'r1', title: 'Standup', hostSecretHash: 'h', createdAt: 5 });
    store.close();
    const again = new RoomStore(dir);
    assert.deepEqual(again.get('r1'), { id: 'r1', title: 'Standup', hostSecretHash: 'h', createdAt: 5 });
    assert.equal(again.get('nope'), null);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('duplicate room ids are refused', () => {
  const store = new RoomStore(null);
  store.insert({ id: 'r1', title: '', hostSecretHash: 'h', createdAt: 1 });
  assert.throws(() => store.insert({ id: 'r1', title: '', hostSecretHash: 'h', createdAt: 2 }), /UNIQUE/);
  store.close();
});
