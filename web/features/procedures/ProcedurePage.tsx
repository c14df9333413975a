import type { TProcedureDetail } from '@common/schemas/procedures'
import {
  AlertTriangle,
  ArrowLeft,
  Clock,
  ExternalLink,
  FileText,
  Globe,
  Link2,
  MapPin,
  MessageCircle,
  Scale,
  Wallet,
} from 'lucide-react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams, useSearchParams } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { ProcedureReviewItems } from './ProcedureReviewItems'
import { procedureText } from './procedure-text'
import { useProcedure } from './procedures-api'
import './procedures.css'

function Section({
  id,
  icon,
  title,
  children,
}: {
  id: string
  icon: ReactNode
  title: string
  children: ReactNode
}) {
  return (
    <section className="proc-section" aria-labelledby={`proc-${id}`}>
      <h2 id={`proc-${id}`}>
        {icon}
        {title}
      </h2>
      {children}
    </section>
  )
}

function UnitNotes({ notes }: { notes: NonNullable<TProcedureDetail['unitNotes']> }) {
  const { t } = useTranslation()
  const rows = [
    ['openingHours', notes.openingHours],
    ['room', notes.room],
    ['officerOnDuty', notes.officerOnDuty],
    ['note', notes.note],
  ] as const
  return (
    <div className="proc-notes">
      <p className="proc-notes__unit">{t('procedures.notesAt', { unit: notes.unitName })}</p>
      <dl>
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{t(`procedures.notes.${k}`)}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
    </div>
  )
}

/** /procedures/:id — what to bring, where to go, how long, how much, online or not, the law. */
export function ProcedurePage() {
  const { id = '' } = useParams()
  const [params] = useSearchParams()
  const unit = params.get('unit') ?? undefined
  const { t, i18n } = useTranslation()
  const { data: p, isLoading, isError, error } = useProcedure(id, unit)
  useDocumentTitle(p ? (i18n.language === 'en' ? p.nameEn : p.nameVi) : t('procedures.title'))
  const back = (
    <Link className="proc-back" to="/procedures">
      <ArrowLeft className="icon" aria-hidden="true" />
      {t('procedures.back')}
    </Link>
  )
  if (isLoading) return <p role="status">{t('procedures.loading')}</p>
  if (isError || !p) {
    const missing = (error as { status?: number } | null)?.status === 404
    return (
      <>
        {back}
        <h1>{t('procedures.title')}</h1>
        <p role="alert">{missing ? t('procedures.notFound') : t('procedures.loadError')}</p>
      </>
    )
  }
  const en = i18n.language === 'en'
  const text = procedureText(p, en)
  return (
    <article className="proc-page" lang={en ? 'en' : 'vi'}>
      {back}
      <h1>
        {text.name}
        <span className="proc-subtitle">
          {t(`procedures.category.${p.category}`, p.category)}
          {en ? ` · ${p.nameVi}` : ''}
        </span>
      </h1>
      {p.staff?.awaitingLegalReview && (
        <p className="proc-review" role="note">
          <AlertTriangle className="icon" aria-hidden="true" />
          {t('procedures.awaitingReview')}
          {p.staff.reviewBy ? ` ${t('procedures.reviewBy', { date: p.staff.reviewBy })}` : ''}
        </p>
      )}
      {p.staff && <ProcedureReviewItems staff={p.staff} />}
      <Section id="where" icon={<MapPin className="icon" aria-hidden="true" />} title={t('procedures.where')}>
        <p>{text.handlingBody}</p>
        {p.unitNotes && <UnitNotes notes={p.unitNotes} />}
      </Section>
      <Section
        id="documents"
        icon={<FileText className="icon" aria-hidden="true" />}
        title={t('procedures.documents')}
      >
        {text.requiredDocuments.length ? (
          <ul className="proc-docs">
            {text.requiredDocuments.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        ) : (
          <p>{t('procedures.noDocuments')}</p>
        )}
      </Section>
      <Section
        id="time"
        icon={<Clock className="icon" aria-hidden="true" />}
        title={t('procedures.timeLimit')}
      >
        <p>{text.timeLimit || t('procedures.unknown')}</p>
      </Section>
      <Section id="fee" icon={<Wallet className="icon" aria-hidden="true" />} title={t('procedures.fee')}>
        <p>{text.fee || t('procedures.unknown')}</p>
      </Section>
      <Section
        id="online"
        icon={<Globe className="icon" aria-hidden="true" />}
        title={t('procedures.online')}
      >
        <p>
          <strong>{t(`procedures.onlineAvailable.${p.online.available}`)}</strong>
        </p>
        {text.channels.length > 0 && (
          <ul className="proc-docs">
            {text.channels.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        )}
        {text.onlineNote && <p>{text.onlineNote}</p>}
        {text.links.length > 0 && (
          <ul className="proc-links" aria-label={t('procedures.onlineLinks')}>
            {text.links.map((l) => (
              <li key={l.url}>
                <a href={l.url} target="_blank" rel="noopener noreferrer">
                  {l.label}
                  <ExternalLink className="icon" aria-hidden="true" />
                </a>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section
        id="law"
        icon={<Scale className="icon" aria-hidden="true" />}
        title={t('procedures.legalBasis')}
      >
        <ul className="proc-docs proc-docs--small">
          {p.legalBasis.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      </Section>
      {text.related.length > 0 && (
        <Section
          id="related"
          icon={<Link2 className="icon" aria-hidden="true" />}
          title={t('procedures.related')}
        >
          <ul className="proc-links">
            {text.related.map((r) => (
              <li key={r.id}>
                <Link to={`/procedures/${r.id}${unit ? `?unit=${encodeURIComponent(unit)}` : ''}`}>
                  {r.name}
                </Link>
              </li>
            ))}
          </ul>
        </Section>
      )}
      <p className="proc-ask">
        <Link className="btn" to="/ask">
          <MessageCircle className="icon" aria-hidden="true" />
          {t('procedures.ask')}
        </Link>
      </p>
      <p className="proc-updated">
        {t('procedures.updated', { date: p.updatedAt.slice(0, 10), version: p.version })}
      </p>
    </article>
  )
}
