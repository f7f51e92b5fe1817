import type { ConsoleAssets } from '../../console/console-pages.ts';
import { widgetBundleOf, type WidgetBundle } from '../../routes/widget-bundle.ts';
import type { Fetcher } from './worker-env.ts';

/** The list the Worker build writes beside the assets: which widget and console files there are. */
interface AssetList {
  widgets: string[];
  console: string[];
}

/** A file of the assets binding; any host does, the binding only reads the path. */
async function readAsset(assets: Fetcher, path: string): Promise<Uint8Array | undefined> {
  const response = await assets.fetch(new Request(`https://assets.invalid/${path}`));
  if (!response.ok) return undefined;
  return new Uint8Array(await response.arrayBuffer());
}

async function assetList(assets: Fetcher | undefined): Promise<AssetList | undefined> {
  if (!assets) return undefined;
  const bytes = await readAsset(assets, 'files.json');
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as AssetList) : undefined;
}

async function readFolder(
  assets: Fetcher,
  folder: string,
  names: string[],
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const name of names) {
    const contents = await readAsset(assets, `${folder}/${name}`);
    if (contents) files.set(name, contents);
  }
  return files;
}

/**
 * The built widgets, read from the Worker's static assets (`dist/worker/assets/widgets/`) into the same
 * in-memory bundle Node reads from disk, so the same route serves them with the same headers and SRI.
 * Undefined when there is no `ASSETS` binding or no list.
 *
 * @example
 * const widgets = await readWidgetAssets(env.ASSETS);
 */
export async function readWidgetAssets(assets: Fetcher | undefined): Promise<WidgetBundle | undefined> {
  const list = await assetList(assets);
  if (!assets || !list) return undefined;
  return widgetBundleOf(await readFolder(assets, 'widgets', list.widgets));
}

/** The built console, from the Worker's static assets; undefined when it is not there. */
export async function readConsoleAssets(assets: Fetcher | undefined): Promise<ConsoleAssets | undefined> {
  const list = await assetList(assets);
  if (!assets || !list?.console.includes('console.js')) return undefined;
  return { files: await readFolder(assets, 'console', list.console) };
}

/** A text file of the static assets (`CATALOG_FILE` on Workers names a path inside the assets folder). */
export async function readTextAsset(assets: Fetcher | undefined, path: string): Promise<string> {
  const bytes = assets ? await readAsset(assets, path.replace(/^\.?\/+/, '')) : undefined;
  if (!bytes) throw new Error(`${path}: not found in the Worker's static assets (ASSETS)`);
  return new TextDecoder().decode(bytes);
}
