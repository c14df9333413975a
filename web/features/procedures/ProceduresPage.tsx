import type { TProcedureSummary } from '@common/schemas/procedures'
import { ChevronRight, Search } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useDebounced, useProcedureList, useProcedureSearch } from './procedures-api'
import './procedures.css'

export const categoryOrder = [
  'cu-tru',
  'can-cuoc',
  'xuat-nhap-canh',
  'phuong-tien',
  'ho-tich',
  'khac',
] as const

function SearchResults({ q }: { q: string }) {
  const { t, i18n } = useTranslation()
  const { data, isFetching, isError } = useProcedureSearch(q)
  if (isError) return <p role="alert">{t('procedures.loadError')}</p>
  if (!data) return isFetching ? <p role="status">{t('procedures.searching')}</p> : null
  // The search says when nothing fits rather than showing a wrong procedure: offer the catalogue.
  if (data.none)
    return (
      <>
        <p role="status">{t('procedures.noneFits')}</p>
        <Catalogue />
      </>
    )
  if (data.results.length === 0) return <p role="status">{t('procedures.noResults')}</p>
  return (
    <section aria-labelledby="proc-results" aria-busy={isFetching}>
      <h2 id="proc-results" className="visually-hidden">
        {t('procedures.results')}
      </h2>
      <ol className="proc-list">
        {data.results.map((r) => (
          <li key={r.id}>
            <Link className="proc-row" to={`/procedures/${r.id}`}>
              <span className="proc-row__text">
                <strong>{i18n.language === 'en' ? r.nameEn : r.nameVi}</strong>
                <span className="proc-row__meta">{t(`procedures.category.${r.category}`, r.category)}</span>
                {r.snippet && <span className="proc-row__snippet">{r.snippet}</span>}
              </span>
              <ChevronRight className="icon" aria-hidden="true" />
            </Link>
          </li>
        ))}
      </ol>
    </section>
  )
}

function Catalogue() {
  const { t, i18n } = useTranslation()
  const { data, isError } = useProcedureList()
  if (isError) return <p role="alert">{t('procedures.loadError')}</p>
  if (!data) return null
  const byCategory = new Map<string, TProcedureSummary[]>()
  for (const p of data.procedures) byCategory.set(p.category, [...(byCategory.get(p.category) ?? []), p])
  return (
    <>
      {categoryOrder
        .filter((c) => byCategory.has(c))
        .map((c) => (
          <section key={c} aria-labelledby={`proc-cat-${c}`}>
            <h2 id={`proc-cat-${c}`}>{t(`procedures.category.${c}`)}</h2>
            <ul className="proc-list">
              {byCategory.get(c)!.map((p) => (
                <li key={p.id}>
                  <Link className="proc-row" to={`/procedures/${p.id}`}>
                    <span className="proc-row__text">{i18n.language === 'en' ? p.nameEn : p.nameVi}</span>
                    <ChevronRight className="icon" aria-hidden="true" />
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
    </>
  )
}

/** /procedures: one big search box (with or without diacritics), results as you type; else the catalogue. */
export function ProceduresPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('procedures.title'))
  const [params, setParams] = useSearchParams()
  const [text, setText] = useState(params.get('q') ?? '')
  const q = useDebounced(text.trim(), 300)

  const onChange = (value: string) => {
    setText(value)
    setParams(value.trim() ? { q: value.trim() } : {}, { replace: true })
  }

  return (
    <>
      <h1>{t('procedures.title')}</h1>
      <p className="proc-lead">{t('procedures.lead')}</p>
      <search>
        <form className="proc-search" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="proc-q">{t('procedures.searchLabel')}</label>
          <div className="proc-search__row">
            <Search className="icon" aria-hidden="true" />
            <input
              id="proc-q"
              type="search"
              value={text}
              onChange={(e) => onChange(e.target.value)}
              placeholder={t('procedures.searchPlaceholder')}
              autoComplete="off"
              enterKeyHint="search"
              maxLength={300}
            />
          </div>
          <p className="proc-hint">{t('procedures.searchHint')}</p>
        </form>
      </search>
      {q.length >= 2 ? <SearchResults q={q} /> : <Catalogue />}
    </>
  )
}
