import type { Connection, Model, Schema } from 'mongoose';

/** The model `name` on this connection, compiled once; each app or test connection has its own. */
export function modelOn<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  return (connection.models[name] ?? connection.model(name, schema)) as unknown as Model<T>;
}
