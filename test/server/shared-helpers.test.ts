import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { constantTimeEqual } from '../../server/shared/constant-time.ts';
import { fromBase64, hmacSha256, sha, toBase64, toBase64Url } from '../../server/shared/hmac.ts';
import { sleep } from '../../server/shared/sleep.ts';
import { fieldErrorMap, issueLines } from '../../server/shared/field-errors.ts';
import { isObject } from '../../server/shared/is-object.ts';

describe('constantTimeEqual', () => {
  it('is true only for the same bytes, whatever the lengths', () => {
    expect(constantTimeEqual('secret-1', 'secret-1')).toBe(true);
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(constantTimeEqual('secret-1', 'secret-2')).toBe(false);
    expect(constantTimeEqual('secret', 'secret-1')).toBe(false);
    expect(constantTimeEqual('secret-12', 'secret-1')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
    expect(constantTimeEqual('é', 'e\u0301')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([0, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), 'x\u0001')).toBe(false);
  });
});

describe('WebCrypto digests and encodings (shared/hmac.ts)', () => {
  it('gives the bytes node:crypto gives', async () => {
    const key = new Uint8Array([1, 2, 3, 250]);
    expect(
      Buffer.from(await hmacSha256('k', 'data')).equals(createHmac('sha256', 'k').update('data').digest()),
    ).toBe(true);
    expect(Buffer.from(await hmacSha256(key, 'data')).toString('hex')).toBe(
      createHmac('sha256', key).update('data').digest('hex'),
    );
    expect(toBase64(await sha('SHA-384', 'code'))).toBe(createHash('sha384').update('code').digest('base64'));
  });

  it('reads and writes base64 as Buffer does, leniently, never throwing', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    expect(toBase64Url(bytes.subarray(1, 2))).toBe('AQ');
    for (const text of [
      'AQID',
      'AQ',
      'AQ==',
      'A',
      '',
      'a-_b',
      'a+/b',
      'AQ ID\n',
      'AQ==ID',
      '!!AQ$$',
      'YWJj=ZGVm',
    ]) {
      expect(Buffer.from(fromBase64(text)).toString('hex'), text).toBe(
        Buffer.from(text, 'base64').toString('hex'),
      );
    }
  });
});

describe('sleep', () => {
  it('resolves after the time, and rejects at once with the reason when aborted', async () => {
    const started = performance.now();
    await sleep(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(sleep(10, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});

describe('isObject', () => {
  it('accepts plain objects only', () => {
    expect(isObject({ a: 1 })).toBe(true);
    expect([null, [], 'x', 1, undefined].map(isObject)).toEqual([false, false, false, false, false]);
  });
});

describe('fieldErrorMap', () => {
  it('maps zod issues by dot path, the whole value under the root key, optionally reworded', () => {
    const schema = z.object({ products: z.array(z.object({ quantity: z.number().min(1) })) });
    const issues = schema.safeParse({ products: [{ quantity: 0 }] }).error!.issues;
    expect(fieldErrorMap(issues, '(root)')).toEqual({ 'products.0.quantity': [expect.any(String)] });
    expect(fieldErrorMap(z.string().safeParse(1).error!.issues, '(body)', () => 'nope')).toEqual({
      '(body)': ['nope'],
    });
  });
});

describe('issueLines', () => {
  it('says each issue as path: message, the whole value as (root)', () => {
    const issues = z.object({ a: z.object({ b: z.string() }) }).safeParse({ a: { b: 1 } }).error!.issues;
    expect(issueLines(issues)).toEqual([expect.stringMatching(/^a\.b: /)]);
    expect(issueLines(z.string().safeParse(1).error!.issues)).toEqual([expect.stringMatching(/^\(root\): /)]);
  });
});
