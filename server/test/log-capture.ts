import { Writable } from 'node:stream'

export interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

/**
 * An app logger that keeps its JSON lines in memory, so a test can read what an operator would:
 * `buildApp({ …, logger: logs.logger })`, then `logs.messages(/^redis /)`.
 */
export function captureLogs(level = 'info') {
  const lines: LogLine[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
      done()
    },
  })
  return {
    lines,
    logger: { level, stream },
    /** The messages of the lines that match, in order. */
    messages: (match: RegExp) => lines.filter((l) => match.test(l.msg)).map((l) => l.msg),
  }
}
