import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signStandardWebhook } from '../../server/notify/standard-webhooks.ts';

describe('signStandardWebhook', async () => {
  it('matches the Standard Webhooks reference vector', async () => {
    // The example from the Standard Webhooks specification's reference implementations.
    const headers = await signStandardWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs with a plain secret as UTF-8 bytes', async () => {
    const headers = await signStandardWebhook('plain-test-secret', 'id1', 10, 'body');
    const expected = createHmac('sha256', 'plain-test-secret').update('id1.10.body').digest('base64');
    expect(headers).toEqual({
      'webhook-id': 'id1',
      'webhook-timestamp': '10',
      'webhook-signature': `v1,${expected}`,
    });
  });
});
