// Also loaded by node-environment files (no localStorage there). fake-indexeddb gives jsdom an IndexedDB for fast unit tests; real Chromium tests come with
// the sources issue. Each test file gets a fresh database through a fresh IDBFactory.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach } from 'vitest';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  globalThis.localStorage?.clear();
});

afterEach(() => {
  globalThis.localStorage?.clear();
});
