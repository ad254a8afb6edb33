import mongoose, { type Connection, type InferSchemaType, type Model } from 'mongoose';

import { roles } from './roles.js';

export { roles, type Role, type SessionUser } from './roles.js';

const userSchema = new mongoose.Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: roles, required: true },
    /** A disabled account cannot sign in, and its live sessions are refused on their next request. */
    disabled: { type: Boolean, default: false },
  },
  { timestamps: true, strict: 'throw' },
);

export type UserDocument = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };
export type UserModel = Model<InferSchemaType<typeof userSchema>>;

export function userModel(connection: Connection): UserModel {
  return (connection.models.User as UserModel | undefined) ?? connection.model('User', userSchema);
}
