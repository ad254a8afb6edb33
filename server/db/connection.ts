import mongoose, { type Connection } from 'mongoose';

/** Connects without buffering: if the database is down, a request fails fast with a clear page. */
export async function connectDatabase(uri: string, dbName?: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 5_000,
    bufferCommands: false,
  });
  await connection.asPromise();
  return connection;
}
