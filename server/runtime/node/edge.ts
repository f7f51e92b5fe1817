import { createEdge as createPortableEdge, type Edge, type EdgeOptions } from '../../edge.ts';
import { nodePorts, type NodePortsOptions } from './node-ports.ts';

/** Options of the Node {@link createEdge}: the portable ones, with the Node ports made for you. */
export type NodeEdgeOptions = Omit<EdgeOptions, 'ports'> & NodePortsOptions;

/**
 * Builds the edge server on Node (Bun, Deno): the portable `createEdge` with {@link nodePorts}. What the
 * package exports as `createEdge`.
 *
 * @example
 * const edge = await createEdge({ config, store });
 * edge.worker.start();
 * serve({ fetch: edge.app.fetch, port: config.port });
 */
export function createEdge(options: NodeEdgeOptions): Promise<Edge> {
  const { widgetsDir, ...rest } = options;
  return createPortableEdge({ ...rest, ports: nodePorts(widgetsDir === undefined ? {} : { widgetsDir }) });
}
