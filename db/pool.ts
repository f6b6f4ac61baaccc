import pg from 'pg';

/**
 * A statement prepared once per connection under its name, so its plan is cached rather than made
 * afresh each time (worth it where planning costs as much as running: the continuous aggregates'
 * real-time views). The same name must always carry the same text.
 */
export interface PreparedQuery {
  name: string;
  text: string;
}

/** What repositories need: one query at a time. `Db` and a transaction's client both provide it. */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's own default row type
  query<R extends pg.QueryResultRow = any>(query: string | PreparedQuery, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface PoolOptions {
  connectionString: string;
  /** The embedded database is single-session: the whole process shares one connection. */
  max: number;
  onError: (error: Error) => void;
}

/**
 * The process's database handle. pg.Pool's own query() throws a connection away after *any* failed
 * query, even a constraint violation the server answered normally; on the single-session embedded
 * database the reconnect then races the old connection's teardown and is refused ("Too many
 * connections"). Here a connection is discarded only if it failed itself (pg emits 'error' on the
 * client when its socket dies), and kept after errors in SQL or in our own code.
 */
export class Db implements Queryable {
  constructor(readonly pool: pg.Pool) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's own default row type
  query<R extends pg.QueryResultRow = any>(query: string | PreparedQuery, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.session((client) => (typeof query === 'string' ? client.query<R>(query, values) : client.query<R>({ name: query.name, text: query.text, values })));
  }

  /** Runs `work` on one connection (for session state such as advisory locks). */
  async session<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      return await work(client);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /** Runs `work` in a transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    return this.session(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

export function openDb(options: PoolOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    // Keep the one embedded connection open; reconnecting costs a start-up round trip each time.
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: 10_000,
    application_name: 'smartplace',
  });
  // An idle connection that dies (database restart) must not crash the process; the next query reconnects.
  pool.on('error', options.onError);
  return new Db(pool);
}
