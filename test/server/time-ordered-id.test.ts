import { describe, expect, it } from 'vitest';
import { firstTimeOrderedId, timeOfOrderedId, timeOrderedId } from '../../server/store/time-ordered-id.ts';

describe('timeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the millisecond time', () => {
    const at = Date.UTC(2026, 10, 22, 9, 30, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts by time, and ids of the same millisecond still differ', () => {
    const times = [0, 1, 255, 256, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1, 2 ** 47];
    const ids = times.map((time) => timeOrderedId(time));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(5)));
    expect(same.size).toBe(1000);
  });

  it('firstTimeOrderedId sorts above every id made earlier and below every id made then or later', () => {
    const at = Date.UTC(2026, 11, 7, 12);
    const floor = firstTimeOrderedId(at);
    for (let i = 0; i < 200; i++) {
      expect(timeOrderedId(at - 1) < floor).toBe(true);
      expect(timeOrderedId(at) > floor).toBe(true);
      expect(timeOrderedId(at + 1) > floor).toBe(true);
    }
    expect(firstTimeOrderedId(-5)).toBe('00000000-0000-');
    expect(timeOfOrderedId(timeOrderedId(at))).toBe(at);
  });
});
