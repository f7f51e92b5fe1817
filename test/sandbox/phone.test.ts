import { afterEach, describe, expect, it } from 'vitest';
import { maskPhone, normalizeSaudiPhone } from '../../server/shared/saudi-phone.ts';
import { earn, makeSandbox, type TestSandbox } from './helpers.ts';

const accepted: Array<[string, string]> = [
  ['+966500000001', '500000001'],
  ['00966500000001', '500000001'],
  ['966500000001', '500000001'],
  ['0500000001', '500000001'],
  ['500000001', '500000001'],
  ['+966 50 000 0001', '500000001'],
  ['050-000-0001', '500000001'],
  ['+966-55-123-4567', '551234567'],
];

const rejected = [
  '',
  '12345',
  '400000001',
  '5000000011',
  '50000000',
  '+967500000001',
  '+9660500000001',
  '05000000a1',
  '+966+966500000001',
];

describe('normalizeSaudiPhone (§1.7)', () => {
  it.each(accepted)('accepts %s as %s', (input, expected) => {
    expect(normalizeSaudiPhone(input)).toBe(expected);
  });

  it.each(rejected)('rejects %j', (input) => {
    expect(normalizeSaudiPhone(input)).toBeUndefined();
  });

  it('masks all but the first two and last two digits', () => {
    expect(maskPhone('551234567')).toBe('+96655*****67');
  });
});

describe('phone numbers at the API edge', () => {
  let sandbox: TestSandbox;
  afterEach(() => sandbox.close());

  it('earns for any accepted format, normalised', async () => {
    sandbox = makeSandbox();
    const res = await earn(sandbox, { phone_number: '+966 50-000-0002', order_number: 'P-1' });
    expect(res.status).toBe(200);
    expect(sandbox.getOrder(res.body.data.uuid)?.phone_number).toBe('500000002');
  });

  it.each(['12345', '+967500000001', '0600000001'])('answers 422 on phone_number for %s', async (phone) => {
    sandbox = makeSandbox();
    const res = await earn(sandbox, { phone_number: phone });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ phone_number: ['The phone number format is invalid.'] });
  });
});
