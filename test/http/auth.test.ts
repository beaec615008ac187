import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey, KeyRing, parseKeysFile, parseKeySpec } from '../../src/http/auth.js';
import { loadKeys } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { makeHistoryInput } from '../support/histories.js';
import { auth, buildTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => (t = await buildTestApp()));
afterAll(() => t.close());

describe('API keys', () => {
  it('parses EWS_API_KEYS and a keys file of hashes, rejecting unknown scopes with the entry named', () => {
    const ring = parseKeySpec('alpha=underwriting+collector, beta=admin');
    expect([...ring.lookup('alpha')!.scopes]).toEqual(['underwriting', 'collector']);
    expect(ring.lookup('gamma')).toBeNull();
    expect(() => parseKeySpec('alpha=underwriting,beta=root')).toThrow('EWS_API_KEYS entry 2: unknown scope "root"');
    const file = parseKeysFile(JSON.stringify([{ id: 'ops', sha256: hashKey('s3cret'), scopes: ['servicing'] }]), new KeyRing());
    expect(file.lookup('s3cret')).toMatchObject({ id: 'ops' });
    expect(() => parseKeysFile('[{"id":"x","sha256":"nothex","scopes":["admin"]}]')).toThrow('keys file: [0].sha256: expected 64 hex digits');
  });

  it('hashes a key as the keys file expects it: SHA-256 of its UTF-8 bytes, lower-case hex (values from sha256sum)', () => {
    expect(hashKey('s3cret')).toBe('1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0');
    expect(hashKey('kľúč-鍵')).toBe('dd031c3626b78f5765917b8bfb118f0aae1486414e616b6cc9fc92a5cecc887d');
    const ring = parseKeysFile(JSON.stringify([{ id: 'ops', sha256: '1EC1C26B50D5D3C58D9583181AF8076655FE00756BF7285940BA3670F99FCBA0', scopes: ['servicing'] }]));
    expect(ring.lookup('s3cret')).toMatchObject({ id: 'ops' });
    expect(ring.lookup('s3cret ')).toBeNull();
  });

  it('generates one admin key when none is configured', () => {
    const { keys, generatedKey } = loadKeys(loadConfig({}));
    expect(generatedKey).toMatch(/^ews_[A-Za-z0-9_-]{32}$/);
    expect(keys.lookup(generatedKey!)).toMatchObject({ id: 'generated-admin' });
    expect(loadKeys(loadConfig({ EWS_API_KEYS: 'a=admin' })).generatedKey).toBeNull();
  });
});

describe('authentication and scopes over HTTP', () => {
  const body = makeHistoryInput();
  it('401 problem+json without a key, with WWW-Authenticate', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/v1/score', payload: body });
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.headers['www-authenticate']).toBe('Bearer');
    expect(r.json()).toMatchObject({ status: 401, code: 'EWS_UNAUTHENTICATED', type: 'urn:ews:problem:unauthenticated', instance: '/v1/score' });
  });

  it('401 for an unknown key or another scheme', async () => {
    for (const authorization of ['Bearer nope', 'Basic azphZG1pbg==']) {
      const r = await t.app.inject({ method: 'GET', url: '/v1/alerts', headers: { authorization } });
      expect(r.statusCode).toBe(401);
    }
  });

  it('403 when the scope is missing, naming the scope', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/v1/score', headers: auth('collector'), payload: body });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'EWS_FORBIDDEN', detail: 'this operation needs the "underwriting" scope' });
    const s = await t.app.inject({ method: 'GET', url: '/v1/alerts', headers: auth('servicing') });
    expect(s.statusCode).toBe(403);
  });

  it('each scope reaches its routes and admin reaches all', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/v1/score', headers: auth('underwriting'), payload: body })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/v1/alerts', headers: auth('collector') })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/v1/loans/none', headers: auth('servicing') })).statusCode).toBe(404);
    for (const url of ['/v1/alerts', '/v1/model', '/v1/rules']) expect((await t.app.inject({ method: 'GET', url, headers: auth('admin') })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/v1/model', headers: auth('collector') })).statusCode).toBe(200);
  });

  it('health, readiness, metrics and docs are public', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs/json']) expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(200);
  });
});
