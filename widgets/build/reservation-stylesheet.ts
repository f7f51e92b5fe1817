import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/** The stylesheet merchants link so the elements take their size before the script runs. */
export const reservationStylesheet = 'widgets.css';

/** Copies `widgets/widgets.css` beside the bundle, where the edge server serves it as `/widgets.css`. */
export function reservationCss(): Plugin {
  return {
    name: 'points-reservation-css',
    apply: 'build',
    generateBundle() {
      const source = readFileSync(new URL(`../${reservationStylesheet}`, import.meta.url), 'utf8');
      this.emitFile({ type: 'asset', fileName: reservationStylesheet, source });
    },
  };
}
