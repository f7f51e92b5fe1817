/**
 * Where this package's files are, whether the server runs from its TypeScript source (`server/…/*.ts`, in
 * the repository) or from the build an installed package runs (`lib/server/…/*.js`, see tsconfig.build.json).
 */
export const runsFromSource = import.meta.url.endsWith('.ts');

/** The package's root folder (with `package.json` and `dist/widgets/`). */
export const packageRoot = new URL(runsFromSource ? '../../../' : '../../../../', import.meta.url);

/** A module beside `base` by its extension-less name: `.ts` from source, `.js` from the build. */
export const siblingModule = (name: string, base: string): URL =>
  new URL(`./${name}${runsFromSource ? '.ts' : '.js'}`, base);
