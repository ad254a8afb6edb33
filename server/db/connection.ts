import mongoose, { type Connection } from 'mongoose';

/** Connects without buffering: if the database is down, a request fails fast with a clear page. */
export async function connectDatabase(
  uri: string,
  dbName?: string,
  poolSize = Number(process.env.DB_POOL_SIZE ?? 8),
): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 5_000,
    bufferCommands: false,
    // A few connections, busy, beat many waiting on each other: FerretDB's SQLite backend
    // serialises writes, and its lock waits back off by sleeping.
    maxPoolSize: poolSize,
  });
  await connection.asPromise();
  return connection;
}
