import { type SQL, sql } from 'drizzle-orm'
import { indexText } from './search-text'

/** The fields of a procedure that feed search, whatever their source (import or staff edit). */
export interface SearchableProcedure {
  nameVi: string
  nameEn: string
  handlingBody: string
  requiredDocuments: string[]
  timeLimit: string
  fee: string
  legalBasis: string[]
  online: { channels: string[]; note?: string | undefined }
  keywords: string[]
  questionExamples: string[]
}

/**
 * Field weights: A the name as residents say it, B keywords and example questions, C the
 * handling body, documents, name's explanatory tail and online channels, D everything else.
 * A long official name's parenthesised tail ("kèm nhóm liên thông: … đăng ký thường trú …")
 * goes to C so it does not make another procedure's name match.
 */
export function searchFields(p: SearchableProcedure): { a: string; b: string; c: string; d: string } {
  const cut = p.nameVi.indexOf('(')
  const mainName = cut > 0 ? p.nameVi.slice(0, cut) : p.nameVi
  const nameTail = cut > 0 ? p.nameVi.slice(cut) : ''
  return {
    a: indexText([mainName]),
    b: indexText([...p.keywords, ...p.questionExamples]),
    c: indexText([
      nameTail,
      p.handlingBody,
      ...p.requiredDocuments,
      ...p.online.channels,
      p.online.note ?? '',
    ]),
    d: indexText([p.nameEn, p.timeLimit, p.fee, ...p.legalBasis]),
  }
}

/** The SQL expression that builds the weighted tsvector with the vi_unaccent configuration. */
export function searchVectorSql(p: SearchableProcedure): SQL {
  const f = searchFields(p)
  return sql`setweight(to_tsvector('vi_unaccent', ${f.a}), 'A') || setweight(to_tsvector('vi_unaccent', ${f.b}), 'B') || setweight(to_tsvector('vi_unaccent', ${f.c}), 'C') || setweight(to_tsvector('vi_unaccent', ${f.d}), 'D')`
}
