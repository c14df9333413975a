// The rule of scripts/check-layers.mjs that keeps unit-tree SQL in one file: "a path under (or
// above) another" is written only by the helpers of server/db/unit-path-sql.ts (underAnyPath,
// pathUnder, pathAbove, staffOver…). A module that writes its own `like … || '%'` on a path is how
// the scope drifted apart in seven places before (security review, code review defect 1).

/** The one file allowed to write path-prefix SQL. */
export const PATH_SQL_HOME = 'server/db/unit-path-sql.ts'

const COMMENT = /^\s*(\/\/|\/\*|\*)/
// A prefix match: LIKE / ILIKE (SQL or drizzle's like()), starts_with(), or PostgreSQL's ^@.
const PREFIX_OPERATOR = /\bi?like\b|\bstarts_with\s*\(|\s\^@\s/i
// Prefix tests that only paths use here (a regex's `[^@` is not the operator: it needs spaces).
const ALWAYS_PATH = /\bstarts_with\s*\(|\s\^@\s/i
const PATH = /path/i
// A prefix pattern built in TypeScript from a path: `${rootPath}%`.
const PATH_PATTERN = /\$\{[^}]*path[^}]*\}%/i

/**
 * The 1-based lines of `source` that write path-prefix SQL: a prefix operator on a line naming a
 * path, any starts_with()/^@, or a `${…path}%` pattern. Comment lines are skipped.
 */
export function pathPrefixSqlLines(source) {
  const lines = []
  source.split('\n').forEach((line, i) => {
    if (COMMENT.test(line)) return
    const prefix = PREFIX_OPERATOR.test(line)
    if ((prefix && PATH.test(line)) || ALWAYS_PATH.test(line) || PATH_PATTERN.test(line)) lines.push(i + 1)
  })
  return lines
}
