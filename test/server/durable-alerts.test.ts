import { describe } from 'vitest';
import { alertTableCases } from '../support/alert-table-cases.ts';
import { engines, sharedDatabase } from '../support/databases.ts';

describe.each(engines)('alerts kept in the alerts table on %s', (engine) => {
  alertTableCases(() => sharedDatabase(engine));
});
