import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { constantTimeEqual } from '../../server/shared/constant-time.ts';
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
