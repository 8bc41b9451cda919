import type { CompiledQuery, DatabaseConnection, Driver, QueryCompiler, QueryResult, TransactionSettings } from 'kysely';
import { asStoreUnavailable, failureKind } from './store-errors.js';
import type { StoreHealth } from './store-health.js';

/** A connection of the {@link GuardedDriver}: the driver's own connection inside. */
class GuardedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    readonly guard: <T>(run: () => Promise<T>) => Promise<T>,
  ) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.guard(() => this.inner.executeQuery<R>(compiledQuery));
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(compiledQuery, chunkSize);
    } catch (err) {
      throw asStoreUnavailable(err);
    }
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof GuardedConnection ? connection.inner : connection;
}

/**
 * Wraps a Kysely driver so that the store's availability is decided in one place: no connection is taken while
 * the store is down, and a failure that is about availability (see `failureKind`) becomes a
 * `StoreUnavailableError` — a lost connection also makes {@link StoreHealth} probe. Other errors pass unchanged.
 */
export class GuardedDriver implements Driver {
  readonly #inner: Driver;
  readonly #health: StoreHealth;

  constructor(inner: Driver, health: StoreHealth) {
    this.#inner = inner;
    this.#health = health;
  }

  readonly #guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      const kind = failureKind(err);
      if (kind === 'connection') this.#health.connectionLost(err);
      throw asStoreUnavailable(err, kind);
    }
  };

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#health.assertUp();
    const connection = await this.#guard(() => this.#inner.acquireConnection());
    return new GuardedConnection(connection, this.#guard);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#guard(() => this.#inner.beginTransaction(innerOf(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#guard(() => this.#inner.commitTransaction(innerOf(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#guard(() => this.#inner.rollbackTransaction(innerOf(connection)));
  }

  savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    return this.#guard(() => this.#required('savepoint').call(this.#inner, innerOf(connection), name, compileQuery));
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    return this.#guard(() => this.#required('rollbackToSavepoint').call(this.#inner, innerOf(connection), name, compileQuery));
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    return this.#guard(() => this.#required('releaseSavepoint').call(this.#inner, innerOf(connection), name, compileQuery));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }

  #required(method: 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint'): NonNullable<Driver[typeof method]> {
    const fn = this.#inner[method];
    if (fn === undefined) throw new Error(`the database driver has no ${method}`);
    return fn;
  }
}
