import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  orderStates,
  stateForPointsStatus,
  type PointsOrderStatus,
} from '../../server/orders/order-state.ts';
import { orderEventNames } from '../../server/points/webhook.ts';

const page = readFileSync(new URL('../../docs/order-states.md', import.meta.url), 'utf8');

/** The first column of the table under `## <heading>`, without its backticks. */
function firstColumn(heading: string): string[] {
  const section = page.slice(page.indexOf(`## ${heading}`)).split('\n## ')[0]!;
  return section
    .split('\n')
    .filter((line) => /^\| `/.test(line))
    .map((line) => /^\| `([^`]+)`/.exec(line)![1]!);
}

const pointsStatuses: PointsOrderStatus[] = [
  'new',
  'authorized',
  'approved',
  'captured',
  'partially_refunded',
  'fully_refunded',
  'cancelled',
];

describe('docs/order-states.md', () => {
  it('lists exactly the states the code knows', () => {
    expect(firstColumn('Our states').sort()).toEqual([...orderStates].sort());
  });

  it('lists exactly the webhook events the code accepts', () => {
    expect(firstColumn("Points' webhook events").sort()).toEqual([...orderEventNames].sort());
  });

  it('maps each Points order_status as the code does', () => {
    const section = page.slice(page.indexOf("## From Points' `order_status`")).split('\n## ')[0]!;
    expect(firstColumn("From Points' `order_status`").sort()).toEqual([...pointsStatuses].sort());
    for (const status of pointsStatuses) {
      const row = section.split('\n').find((line) => line.startsWith(`| \`${status}\``))!;
      expect(row).toContain(`\`${stateForPointsStatus(status, true)}\``);
      if (stateForPointsStatus(status, false) !== stateForPointsStatus(status, true)) {
        expect(row).toContain(`\`${stateForPointsStatus(status, false)}\``);
      }
    }
  });

  it('names both order types, replacing included', () => {
    expect(firstColumn('The order `type`')).toEqual(['earning', 'replacing']);
  });
});
