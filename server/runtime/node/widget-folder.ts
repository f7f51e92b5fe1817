import { readdir, readFile } from 'node:fs/promises';
import { widgetBundleOf, type WidgetBundle } from '../../routes/widget-bundle.ts';

/**
 * Reads a built widget folder (`dist/widgets`) once at start: its `.js` files and `widgets.css`. Returns
 * undefined when the folder is missing or the bundle is not built.
 *
 * @example
 * const widgets = await readWidgetFolder('dist/widgets');
 */
export async function readWidgetFolder(dir: string): Promise<WidgetBundle | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const folder = new Map<string, Uint8Array>();
  for (const name of names) {
    if (!name.endsWith('.js') && name !== 'widgets.css') continue;
    const contents = await readFile(`${dir}/${name}`).catch(() => undefined);
    if (contents) folder.set(name, new Uint8Array(contents.buffer, contents.byteOffset, contents.byteLength));
  }
  return widgetBundleOf(folder);
}
