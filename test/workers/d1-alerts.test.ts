import { describe } from 'vitest';
import { alertTableCases } from '../support/alert-table-cases.ts';
import { sharedD1Stores } from './miniflare-d1.ts';

// Two store handles on one D1 database are two isolates: they share one open row and one page a window.
describe('alerts kept in the alerts table on D1', () => {
  alertTableCases(sharedD1Stores);
});
