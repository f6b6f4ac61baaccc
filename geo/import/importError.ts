/**
 * A national product file that cannot be imported as it is. The message names the file, where in it
 * (`line 12`, `feature 3 (E05000001)`, `table osopenuprn_address`, or null for the file as a whole)
 * and what is wrong, so the person running `smartplace import` can find the fault without a debugger.
 */
export class ImportError extends Error {
  override readonly name = 'ImportError';

  constructor(
    readonly file: string,
    readonly where: string | null,
    readonly problem: string,
  ) {
    super(where === null ? `${file}: ${problem}` : `${file}: ${where}: ${problem}`);
  }
}
