import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { E2eeIdentity, ParticipantInfo } from '@treff/protocol';
import { IdentityKeyPair } from './identity.js';
import { DEPARTED_KEPT, PeerIdentities } from './peer-identities.js';

const OWN_TAG = 99;
const person = (id: string, e2ee: E2eeIdentity | null): ParticipantInfo => ({ id, name: id, role: 'guest', media: { audio: true, video: true }, joinedAt: 1, e2ee });

async function identity(keyTag: number): Promise<E2eeIdentity> {
  return { publicKey: (await IdentityKeyPair.generate()).publicKey, keyTag };
}

test('an id keeps its first identity; another one, or none, is flagged and not used', async () => {
  const peers = new PeerIdentities(() => OWN_TAG);
  const [first, second] = [await identity(1), await identity(2)];
  peers.set(person('b', first));
  peers.set(person('b', second));
  assert.deepEqual(peers.identity('b'), first);
  assert.deepEqual(peers.changed(), ['b']);
  peers.set(person('c', null));
  peers.set(person('c', second));
  assert.equal(peers.identity('c'), null, 'joined without one: stays without');
  assert.deepEqual(peers.withoutIdentity(), ['c']);
  assert.deepEqual(peers.encrypting(), ['b']);
});

test('a key tag belongs to its first holder; ours belongs to nobody else', async () => {
  const peers = new PeerIdentities(() => OWN_TAG);
  peers.set(person('b', await identity(5)));
  peers.set(person('v', await identity(5)));
  peers.set(person('w', await identity(OWN_TAG)));
  assert.equal(peers.tagOf('b'), 5);
  assert.equal(peers.tagOf('v'), undefined);
  assert.equal(peers.tagOf('w'), undefined);
  assert.equal(peers.ownerOf(5), 'b');
  assert.deepEqual(peers.presentTags(), [5]);
  peers.drop('b');
  assert.equal(peers.ownerOf(5), undefined, 'only those present own a tag');
  assert.equal(peers.tagOf('b'), 5, 'kept for their chat history');
});

test(`departed participants are kept up to ${DEPARTED_KEPT}, then forgotten with their key tags`, async () => {
  const peers = new PeerIdentities(() => OWN_TAG);
  const early = await identity(7);
  peers.set(person('early', early));
  assert.deepEqual(peers.drop('early').forgotten, []);
  for (let i = 0; i < DEPARTED_KEPT - 1; i++) {
    peers.set(person(`g${i}`, null));
    assert.deepEqual(peers.drop(`g${i}`).forgotten, []);
  }
  assert.deepEqual(peers.pinned('early'), early);
  peers.set(person('last', null));
  assert.deepEqual(peers.drop('last').forgotten, [7]);
  assert.equal(peers.pinned('early'), undefined);
  peers.set(person('early', await identity(8)));
  assert.deepEqual(peers.changed(), [], 'a forgotten id starts afresh');
});
