import { expect } from 'vitest';
import { PointsError } from '../../../server/points/errors.ts';

/** The `PointsError` a call fails with; fails the test when the call succeeds or throws anything else. */
export async function failure(promise: Promise<unknown>): Promise<PointsError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PointsError);
  return error as PointsError;
}
