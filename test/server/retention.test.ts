import { describe } from 'vitest';
import { engines, freshStore } from '../support/databases.ts';
import { retentionCases } from '../support/retention-cases.ts';

describe.each(engines)('the retention sweep on %s', (engine) => {
  retentionCases(() => freshStore(engine));
});
