import type { TRetentionStatus, TUnitStorage } from '@common/schemas/retention'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { formatDateTime, formatNumber } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { formatBytes } from '../health/format'
import { useRetentionStatus, useUnitStorage } from './retention-api'
import './retention.css'

/** The rules the server runs daily (retention.rules.ts); an unknown one shows the server's own text. */
const RULES = [
  'audit_origins',
  'audit_log',
  'session_origins',
  'ended_sessions',
  'finished_jobs',
  'otp_codes',
  'auth_failures',
  'upload_budgets',
  'idempotent_answers',
  'sms_sends',
  'sms_inbound',
  'tips',
  'case_files',
  'case_text',
  'alert_answers',
  'direct_messages',
  'hidden_group_messages',
  'residence_reports',
  'guest_lists',
  'register_people',
] as const
type RuleName = (typeof RULES)[number]
const known = (name: string): name is RuleName => (RULES as readonly string[]).includes(name)

const forbidden = (e: unknown) => e instanceof ApiError && e.status === 403

/** /staff/retention: how long data is kept and how full each unit's storage is (admins; commanders see storage). */
export function RetentionPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.staffRetention'))
  const storage = useUnitStorage()
  const rules = useRetentionStatus()
  const loading = storage.isLoading || rules.isLoading
  const bothForbidden = forbidden(storage.error) && forbidden(rules.error)
  const failed = (storage.error && !forbidden(storage.error)) || (rules.error && !forbidden(rules.error))
  return (
    <div className="retention">
      <h1>{t('pages.staffRetention')}</h1>
      {loading && <p role="status">{t('retention.loading')}</p>}
      {bothForbidden && <p role="alert">{t('retention.forbidden')}</p>}
      {!bothForbidden && failed && <p role="alert">{t('retention.loadError')}</p>}
      {storage.data && <StorageSection storage={storage.data} />}
      {rules.data && <RulesSection status={rules.data} />}
    </div>
  )
}

function StorageSection({ storage }: { storage: TUnitStorage }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language === 'en' ? 'en' : 'vi'
  return (
    <section className="retention__section" aria-labelledby="retention-storage">
      <h2 id="retention-storage">{t('retention.storage.title')}</h2>
      <p className="retention__hint">{t('retention.storage.hint', { percent: storage.warnPercent })}</p>
      {storage.items.length === 0 ? (
        <p>{t('retention.storage.empty')}</p>
      ) : (
        <ul className="storage-list">
          {storage.items.map((u) => {
            const percent = Math.min(100, Math.round((u.bytes / Math.max(1, u.quotaBytes)) * 100))
            return (
              <li key={u.unitId} className="storage-unit" data-level={u.level}>
                <div className="storage-unit__head">
                  <h3 className="storage-unit__name">{u.unitName}</h3>
                  <span className="storage-unit__figure">
                    {t('retention.storage.used', {
                      used: formatBytes(u.bytes, lang),
                      quota: formatBytes(u.quotaBytes, lang),
                      percent,
                    })}
                  </span>
                </div>
                <div className="storage-bar" aria-hidden="true">
                  <span className="storage-bar__fill" style={{ width: `${percent}%` }} />
                </div>
                {u.level !== 'ok' && (
                  <p className="storage-unit__warning">{t(`retention.storage.${u.level}`)}</p>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}

function RulesSection({ status }: { status: TRetentionStatus }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language === 'en' ? 'en' : 'vi'
  return (
    <section className="retention__section" aria-labelledby="retention-rules">
      <h2 id="retention-rules">{t('retention.rules.title')}</h2>
      <p className="retention__hint">
        {status.nextRunAt
          ? t('retention.rules.nextRun', { time: formatDateTime(status.nextRunAt) })
          : t('retention.rules.noNextRun')}
      </p>
      <ul className="retention-rules">
        {status.items.map((r) => (
          <li key={r.name} className="retention-rule">
            <h3 className="retention-rule__what">
              {known(r.name) ? t(`retention.rule.${r.name}.what`) : r.period}
            </h3>
            <dl className="retention-rule__rows">
              <div>
                <dt>{t('retention.rules.period')}</dt>
                <dd>{known(r.name) ? t(`retention.rule.${r.name}.period`) : r.period}</dd>
              </div>
              <div>
                <dt>{t('retention.rules.lastRun')}</dt>
                <dd>{r.lastRunAt ? formatDateTime(r.lastRunAt) : t('retention.rules.never')}</dd>
              </div>
              <div>
                <dt>{t('retention.rules.removed')}</dt>
                <dd>{r.removed === null ? '—' : formatNumber(r.removed, lang)}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  )
}
