/** A migration that could not go on: one line naming the group and the step that failed. */
export class MigrateError extends Error {
  override readonly name = 'MigrateError';
}
