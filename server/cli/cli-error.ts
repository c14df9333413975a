/** A refusal or bad input the CLI reports as one line, without a stack trace. */
export class CliError extends Error {
  override name = 'CliError'
}
