import { Conflict } from '../../../kernel/errors/domain-error.ts';

/** A run stopped because cancelling it was asked for (or its process is shutting down). */
export class Cancelled extends Conflict {
  constructor() {
    super(
      'masking.cancelled',
      'The masking run was cancelled; resume it to finish the copy, or start a new one.',
    );
  }
}
