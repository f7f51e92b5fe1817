import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { siblingModule } from '../package-files.ts';
import type { GroupCommit } from '../../../store/db.ts';
import type {
  SqlStatement,
  SqliteThreadMessage,
  SqliteThreadReply,
  SqliteThreadRequest,
  StatementResult,
  ThreadError,
} from './sqlite-thread.ts';

/** Thrown when another connection (this process or another) already holds the SQLite file. */
export class DatabaseLockedError extends Error {
  constructor(path: string) {
    super(
      `Another process is using ${path}. One SQLite file serves one server process; ` +
        'stop the other process, or use Postgres (DATABASE_URL=postgres://…) to run several instances.',
    );
    this.name = 'DatabaseLockedError';
  }
}

/** A request before it is numbered (each kind of request, without its `id`). */
type Unnumbered<R> = R extends unknown ? Omit<R, 'id'> : never;

/** Only what the thread needs: a Kysely `CompiledQuery` also carries its query tree, not worth cloning. */
const cloneable = ({ sql, parameters }: SqlStatement): SqlStatement => ({ sql, parameters });

/** Rebuilds a SQLite error on this side of the thread, keeping its codes (`errcode`, `errstr`). */
function fromThreadError(error: ThreadError): Error {
  return Object.assign(new Error(error.message), {
    name: error.name,
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.errcode !== undefined ? { errcode: error.errcode } : {}),
    ...(error.errstr !== undefined ? { errstr: error.errstr } : {}),
  });
}

/**
 * The main thread's handle on the SQLite thread (sqlite-thread.ts): sends statements, matches replies by
 * id. The thread keeps the process alive only while a statement is outstanding, so a CLI command that
 * forgets nothing still exits when its work is done.
 *
 * @example
 * const thread = await SqliteThread.open('data/points.db');
 * const [inserted] = await thread.transaction([{ sql: 'insert …', parameters: [id] }]);
 */
export class SqliteThread {
  readonly #worker: Worker;
  /** Where requests go; the thread answers on its `parentPort`. */
  readonly #requests: MessagePort;
  readonly #pending = new Map<
    number,
    { resolve: (reply: SqliteThreadReply) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;
  #failure: Error | undefined;
  readonly #commitListeners = new Set<(commit: GroupCommit) => void>();

  private constructor(worker: Worker, requests: MessagePort) {
    this.#worker = worker;
    this.#requests = requests;
    // The thread answers each commit (or statement) with one message holding every reply it settles.
    worker.on('message', ({ replies, commit }: SqliteThreadMessage) => {
      if (commit) for (const listener of this.#commitListeners) listener(commit);
      for (const reply of replies) {
        const waiting = this.#pending.get(reply.id);
        if (!waiting) continue;
        this.#pending.delete(reply.id);
        waiting.resolve(reply);
      }
      if (this.#pending.size === 0) worker.unref();
    });
    const fail = (error: Error) => {
      this.#failure ??= error;
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('The SQLite thread has stopped.')));
    worker.unref();
  }

  /** Starts the thread and opens `path` on it; rejects with {@link DatabaseLockedError} when the file is taken. */
  static async open(path: string): Promise<SqliteThread> {
    const channel = new MessageChannel();
    const worker = new Worker(siblingModule('sqlite-thread', import.meta.url), {
      workerData: { path, requests: channel.port2 },
      transferList: [channel.port2],
      // A parent started with `node --input-type=module -e …` would pass on a flag a file worker refuses.
      execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
    });
    let onMessage!: (message: { opened?: true; openError?: ThreadError }) => void;
    let onError!: (error: Error) => void;
    let onExit!: (code: number) => void;
    const first = await new Promise<{ opened?: true; openError?: ThreadError }>((resolve, reject) => {
      onMessage = resolve;
      onError = reject;
      onExit = (code) => reject(new Error(`The SQLite thread exited (${code}) while opening ${path}.`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    }).finally(() => worker.off('message', onMessage).off('error', onError).off('exit', onExit));
    if (first.openError) {
      channel.port1.close();
      await worker.terminate();
      throw first.openError.locked ? new DatabaseLockedError(path) : fromThreadError(first.openError);
    }
    channel.port1.unref();
    return new SqliteThread(worker, channel.port1);
  }

  #send(request: Unnumbered<SqliteThreadRequest>): Promise<SqliteThreadReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#requests.postMessage({ ...request, id } as SqliteThreadRequest);
    });
  }

  /** Calls `listener` after each group commit of transaction requests (for metrics: fsync time under load). */
  observeCommits(listener: (commit: GroupCommit) => void): void {
    this.#commitListeners.add(listener);
  }

  /** Runs one statement (outside any transaction unless one was begun with a statement). */
  async run(statement: SqlStatement): Promise<StatementResult> {
    const reply = await this.#send({ op: 'run', statement: cloneable(statement) });
    if (!reply.ok) throw fromThreadError(reply.error);
    return reply.result!;
  }

  /** Runs the statements in one transaction, all or none: one message, one commit. */
  async transaction(statements: readonly SqlStatement[]): Promise<StatementResult[]> {
    const reply = await this.#send({ op: 'transaction', statements: statements.map(cloneable) });
    if (!reply.ok) throw fromThreadError(reply.error);
    return reply.results!;
  }

  /** Closes the database (releasing the file lock) and ends the thread. */
  async close(): Promise<void> {
    if (this.#failure) return;
    const exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    await this.#send({ op: 'close' }).catch(() => undefined);
    // Held until the thread has finished, or the process could end before the file is released.
    this.#worker.ref();
    await exited;
    this.#requests.close();
  }
}
