import type { TUnitFileFormat, TUnitTreeImportReport } from '@common/schemas/unit-tree'
import { Download, FileCheck, Upload } from 'lucide-react'
import { type ChangeEvent, type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useDocumentTitle } from '../../lib/use-document-title'
import { ImportReport } from './ImportReport'
import { exportUrl, formatOfFile, useImportUnitTree } from './unit-tree-api'
import './unit-tree.css'

interface ChosenFile {
  name: string
  format: TUnitFileFormat
  text: string
}

/**
 * /staff/unit-tree (administrators): export the unit tree as CSV or JSON, and import a file in
 * two steps: check it (a dry run whose report lists units added, changed and rows refused), then
 * import it, which is offered only when the check refused nothing.
 */
export function UnitTreePage() {
  const { t } = useTranslation()
  useDocumentTitle(t('unitTree.title'))
  const [file, setFile] = useState<ChosenFile | null>(null)
  const [fileError, setFileError] = useState<string | null>(null)
  const [report, setReport] = useState<TUnitTreeImportReport | null>(null)
  const importTree = useImportUnitTree()

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    setReport(null)
    setFile(null)
    importTree.reset()
    const chosen = e.target.files?.[0]
    if (!chosen) return
    const format = formatOfFile(chosen.name)
    if (!format) {
      setFileError(t('unitTree.badFormat'))
      return
    }
    setFileError(null)
    setFile({ name: chosen.name, format, text: await chosen.text() })
  }

  const run = (dryRun: boolean) => {
    if (!file) return
    importTree.mutate({ format: file.format, text: file.text, dryRun }, { onSuccess: setReport })
  }
  const check = (e: FormEvent) => {
    e.preventDefault()
    run(true)
  }
  const canImport =
    report?.dryRun === true &&
    report.refused.length === 0 &&
    report.created.length + report.updated.length > 0

  return (
    <>
      <h1>{t('unitTree.title')}</h1>
      <p>{t('unitTree.lead')}</p>
      <section aria-labelledby="unit-tree-export">
        <h2 id="unit-tree-export">{t('unitTree.export')}</h2>
        <p className="unit-tree-actions">
          {(['csv', 'json'] as const).map((format) => (
            <a key={format} className="btn btn--secondary" href={exportUrl(format)} download>
              <Download className="icon" aria-hidden="true" />
              {t('unitTree.download', { format: format.toUpperCase() })}
            </a>
          ))}
        </p>
      </section>
      <section aria-labelledby="unit-tree-import">
        <h2 id="unit-tree-import">{t('unitTree.import')}</h2>
        <form className="unit-tree-form" onSubmit={check} aria-labelledby="unit-tree-import">
          <label htmlFor="unit-tree-file">{t('unitTree.file')}</label>
          <p id="unit-tree-file-hint" className="unit-tree-hint">
            {t('unitTree.fileHint')}
          </p>
          <input
            id="unit-tree-file"
            type="file"
            accept=".csv,.json,text/csv,application/json"
            aria-describedby="unit-tree-file-hint"
            onChange={choose}
          />
          {fileError && <p role="alert">{fileError}</p>}
          <p className="unit-tree-actions">
            <button className="btn" type="submit" disabled={!file || importTree.isPending}>
              <FileCheck className="icon" aria-hidden="true" />
              {t('unitTree.check')}
            </button>
            {canImport && (
              <button
                className="btn"
                type="button"
                disabled={importTree.isPending}
                onClick={() => run(false)}
              >
                <Upload className="icon" aria-hidden="true" />
                {t('unitTree.confirm', { created: report.created.length, updated: report.updated.length })}
              </button>
            )}
          </p>
        </form>
        {importTree.isError && <p role="alert">{importTree.error.message}</p>}
        {report && <ImportReport report={report} />}
      </section>
    </>
  )
}
