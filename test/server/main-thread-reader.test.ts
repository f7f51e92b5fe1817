import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MainThreadReader } from '../../server/runtime/node/store/main-thread-reader.ts';

function walDatabase(): { path: string; writer: DatabaseSync } {
  const path = join(mkdtempSync(join(tmpdir(), 'points-reader-')), 'points.db');
  const writer = new DatabaseSync(path);
  writer.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1)');
  return { path, writer };
}

describe('MainThreadReader', () => {
  it('reads what another connection committed, with parameters, and closes twice without error', () => {
    const { path, writer } = walDatabase();
    const reader = new MainThreadReader(path);
    const query = CompiledQuery.raw('select n from t where n >= ? order by n', [1]);
    expect(reader.read(query)).toEqual([{ n: 1 }]);
    writer.exec('INSERT INTO t VALUES (2)');
    expect(reader.read(query)).toEqual([{ n: 1 }, { n: 2 }]);
    reader.close();
    reader.close();
    writer.close();
  });

  it('throws what is wrong with a query', () => {
    const { path, writer } = walDatabase();
    const reader = new MainThreadReader(path);
    expect(() => reader.read(CompiledQuery.raw('select * from missing', []))).toThrow(/no such table/);
    reader.close();
    writer.close();
  });

  it('answers undefined (ask the thread) when SQLite is busy', () => {
    const { path, writer } = walDatabase();
    // Another connection holding the file exclusively (the edge's own writer never does).
    writer.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; INSERT INTO t VALUES (3); COMMIT');
    const reader = new MainThreadReader(path);
    expect(reader.read(CompiledQuery.raw('select n from t', []))).toBeUndefined();
    reader.close();
    writer.close();
  });
});
