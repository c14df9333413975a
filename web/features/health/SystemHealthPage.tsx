import type { TSystemHealth } from '@common/schemas/health'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { useDocumentTitle } from '../../lib/use-document-title'
import { formatBytes, formatDateTime, formatDuration } from './format'
import { useSystemHealth } from './health-api'
import './health.css'

type Level = 'ok' | 'warn' | 'down' | 'off'

/** Under 10 % or 2 GB free: time to look. A day and a half without a backup: the nightly one failed. */
const LOW_DISK_RATIO = 0.1
const LOW_DISK_BYTES = 2 * 1024 ** 3
const BACKUP_OVERDUE_S = 36 * 3_600
const QUEUE_STUCK_S = 5 * 60

/** /staff/health: what an administrator checks first when something looks wrong (admins only). */
export function SystemHealthPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.staffHealth'))
  const { data, isLoading, error } = useSystemHealth(true)
  return (
    <div className="health">
      <h1>{t('pages.staffHealth')}</h1>
      {isLoading && <p role="status">{t('health.loading')}</p>}
      {error && (
        <p role="alert">
          {error instanceof ApiError && error.status === 403 ? t('health.forbidden') : t('health.loadError')}
        </p>
      )}
      {data && <HealthCards health={data} />}
    </div>
  )
}

function HealthCards({ health: h }: { health: TSystemHealth }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language === 'en' ? 'en' : 'vi'
  const bytes = (n: number) => formatBytes(n, lang)
  const backupAge = h.lastBackup ? (Date.parse(h.checkedAt) - Date.parse(h.lastBackup.at)) / 1000 : null
  const diskLow =
    h.disk !== null &&
    (h.disk.freeBytes < LOW_DISK_BYTES || h.disk.freeBytes < h.disk.totalBytes * LOW_DISK_RATIO)
  return (
    <>
      <p className="health__checked">{t('health.checkedAt', { time: formatDateTime(h.checkedAt, lang) })}</p>
      <ul className="health-grid">
        <Card
          title={t('health.database.title')}
          level={h.database.reachable ? 'ok' : 'down'}
          status={t(h.database.reachable ? 'health.reachable' : 'health.unreachable')}
        >
          <Row label={t('health.database.kind')} value={t(`health.database.${h.database.kind}`)} />
          {h.database.latencyMs !== null && (
            <Row
              label={t('health.database.latency')}
              value={t('health.ms', {
                value: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(h.database.latencyMs),
              })}
            />
          )}
          {h.database.sizeBytes !== null && (
            <Row label={t('health.database.size')} value={bytes(h.database.sizeBytes)} />
          )}
        </Card>
        <Card
          title={t('health.redis.title')}
          level={!h.redis.configured ? 'off' : h.redis.reachable ? 'ok' : 'down'}
          status={t(
            !h.redis.configured
              ? 'health.redis.notConfigured'
              : h.redis.reachable
                ? 'health.reachable'
                : 'health.unreachable',
          )}
        >
          <p className="health-card__note">
            {t(
              !h.redis.configured
                ? 'health.redis.single'
                : h.redis.reachable
                  ? 'health.redis.shared'
                  : 'health.redis.degraded',
            )}
          </p>
        </Card>
        <Card
          title={t('health.jobs.title')}
          level={(h.jobs.oldestWaitSeconds ?? 0) > QUEUE_STUCK_S || h.jobs.dead > 0 ? 'warn' : 'ok'}
          status={t(
            (h.jobs.oldestWaitSeconds ?? 0) > QUEUE_STUCK_S ? 'health.jobs.behind' : 'health.jobs.keepingUp',
          )}
        >
          <Row label={t('health.jobs.due')} value={String(h.jobs.due)} />
          <Row
            label={t('health.jobs.oldest')}
            value={
              h.jobs.oldestWaitSeconds === null
                ? t('health.none')
                : formatDuration(h.jobs.oldestWaitSeconds, t)
            }
          />
          <Row label={t('health.jobs.dead')} value={String(h.jobs.dead)} />
        </Card>
        <Card
          title={t('health.disk.title')}
          level={h.disk === null ? 'warn' : diskLow ? 'warn' : 'ok'}
          status={t(
            h.disk === null ? 'health.disk.unknown' : diskLow ? 'health.disk.low' : 'health.disk.enough',
          )}
        >
          {h.disk && (
            <>
              <Row
                label={t('health.disk.free')}
                value={t('health.disk.freeOf', {
                  free: bytes(h.disk.freeBytes),
                  total: bytes(h.disk.totalBytes),
                  percent: Math.round((h.disk.freeBytes / Math.max(1, h.disk.totalBytes)) * 100),
                })}
              />
              <Row label={t('health.disk.path')} value={<code>{h.disk.path}</code>} />
            </>
          )}
        </Card>
        <Card
          title={t('health.backup.title')}
          level={backupAge === null || backupAge > BACKUP_OVERDUE_S ? 'warn' : 'ok'}
          status={t(
            backupAge === null
              ? 'health.backup.never'
              : backupAge > BACKUP_OVERDUE_S
                ? 'health.backup.overdue'
                : 'health.backup.recent',
          )}
        >
          {h.lastBackup && backupAge !== null ? (
            <>
              <Row
                label={t('health.backup.at')}
                value={t('health.backup.ago', {
                  time: formatDateTime(h.lastBackup.at, lang),
                  ago: formatDuration(backupAge, t),
                })}
              />
              <Row label={t('health.backup.size')} value={bytes(h.lastBackup.bytes)} />
              <Row label={t('health.backup.file')} value={<code>{h.lastBackup.file}</code>} />
            </>
          ) : (
            <p className="health-card__note">{t('health.backup.howTo')}</p>
          )}
        </Card>
        <Card title={t('health.version.title')} level="off" status={h.version.app}>
          <Row label={t('health.version.app')} value={h.version.app} />
          <Row
            label={t('health.version.commit')}
            value={h.version.commit ? <code>{h.version.commit}</code> : t('health.none')}
          />
          <Row label={t('health.version.uptime')} value={formatDuration(h.uptimeSeconds, t)} />
        </Card>
      </ul>
    </>
  )
}

function Card(props: { title: string; level: Level; status: string; children: ReactNode }) {
  return (
    <li className="health-card" data-level={props.level}>
      <h2 className="health-card__title">
        {props.title}
        <span className="health-badge" data-level={props.level}>
          {props.status}
        </span>
      </h2>
      <div className="health-card__rows">{props.children}</div>
    </li>
  )
}

function Row({ label, value }: { label: string; value: ReactNode }) {
  return (
    <dl className="health-row">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </dl>
  )
}
