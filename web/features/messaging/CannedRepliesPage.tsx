import type { TCannedReplyItem } from '@common/schemas/messaging'
import { foldVietnamese } from '@common/text/fold'
import { Pencil, Plus, Search, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { LoadProblem } from '../../components/LoadProblem'
import { formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { CannedBadge } from './CannedBadge'
import { CannedReplyForm } from './CannedReplyForm'
import { useCannedMutations, useCannedReplies } from './canned-api'
import '../auth/auth.css'
import '../directory/directory.css'
import './canned.css'

function CannedCard({ reply }: { reply: TCannedReplyItem }) {
  const { t } = useTranslation()
  const { units } = useCannedReplies().data ?? { units: [] }
  const { update, remove } = useCannedMutations()
  const [editing, setEditing] = useState(false)
  const mayEdit = reply.can.includes('edit')
  const confirmAndDelete = () => {
    if (window.confirm(t('messaging.canned.deleteConfirm', { title: reply.title }))) remove.mutate(reply.id)
  }
  if (editing)
    return (
      <li className="canned-card">
        <h3>{t('messaging.canned.editTitle', { title: reply.title })}</h3>
        <CannedReplyForm
          units={units.map((u) => ({ ...u, canShare: u.canShare && reply.can.includes('share') }))}
          initial={{ unitId: reply.unitId, title: reply.title, body: reply.body, shared: reply.shared }}
          submitLabel={t('messaging.canned.save')}
          pending={update.isPending}
          error={update.error}
          onCancel={() => {
            update.reset()
            setEditing(false)
          }}
          onSubmit={(d) =>
            update.mutate(
              {
                id: reply.id,
                version: reply.version,
                title: d.title,
                body: d.body,
                ...(d.unitId !== reply.unitId ? { unitId: d.unitId } : {}),
                ...(d.shared !== reply.shared ? { shared: d.shared } : {}),
              },
              { onSuccess: () => setEditing(false) },
            )
          }
        />
      </li>
    )
  return (
    <li className="canned-card">
      <div className="canned-card__head">
        <h3>{reply.title}</h3>
        <CannedBadge shared={reply.shared} />
      </div>
      <p className="canned-card__meta">
        {reply.shared
          ? t('messaging.canned.sharedMeta', {
              unit: reply.unitName,
              author: reply.author?.displayName ?? '—',
              at: formatDateTime(reply.updatedAt),
            })
          : t('messaging.canned.personalMeta', { at: formatDateTime(reply.updatedAt) })}
      </p>
      <p className="canned-card__body">{reply.body}</p>
      {mayEdit && (
        <div className="canned-card__actions">
          <button
            type="button"
            className="btn btn--secondary btn--small"
            onClick={() => setEditing(true)}
            aria-label={t('messaging.canned.editNamed', { title: reply.title })}
          >
            <Pencil className="icon" aria-hidden="true" /> {t('messaging.canned.edit')}
          </button>
          <button
            type="button"
            className="btn btn--secondary btn--small"
            onClick={confirmAndDelete}
            disabled={remove.isPending}
            aria-label={t('messaging.canned.deleteNamed', { title: reply.title })}
          >
            <Trash2 className="icon" aria-hidden="true" /> {t('messaging.canned.delete')}
          </button>
        </div>
      )}
      {remove.error instanceof ApiError && (
        <p className="dir-error" role="alert">
          {remove.error.detail ?? remove.error.title}
        </p>
      )}
    </li>
  )
}

/**
 * /staff/canned-replies — an officer's own canned replies and those shared with their unit: search,
 * write, edit, delete. Commanders share a reply with the unit; officers keep theirs personal.
 */
export function CannedRepliesPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('messaging.canned.title'))
  const list = useCannedReplies()
  const { create } = useCannedMutations()
  const [q, setQ] = useState('')
  const [writing, setWriting] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  const needle = foldVietnamese(q.trim())
  const replies = (list.data?.replies ?? []).filter(
    (r) => !needle || foldVietnamese(`${r.title} ${r.body}`).includes(needle),
  )
  const units = list.data?.units ?? []
  const refused = list.error instanceof ApiError && list.error.status === 403

  return (
    <div className="canned-page">
      <h1>{t('messaging.canned.title')}</h1>
      <p>{t('messaging.canned.intro')}</p>
      {list.isLoading && <p role="status">{t('org.loading')}</p>}
      {refused && <p role="alert">{t('messaging.canned.notAllowed')}</p>}
      {list.isError && !refused && <LoadProblem error={list.error} />}
      {done && (
        <p role="status" className="org-done">
          {done}
        </p>
      )}
      {list.data && (
        <>
          {writing ? (
            <section className="canned-card" aria-labelledby="canned-new">
              <h2 id="canned-new">{t('messaging.canned.newTitle')}</h2>
              <CannedReplyForm
                units={units}
                initial={{ unitId: units[0]?.id ?? '', title: '', body: '', shared: false }}
                submitLabel={t('messaging.canned.create')}
                pending={create.isPending}
                error={create.error}
                onCancel={() => {
                  create.reset()
                  setWriting(false)
                }}
                onSubmit={(d) =>
                  create.mutate(d, {
                    onSuccess: (r) => {
                      setWriting(false)
                      setDone(t('messaging.canned.created', { title: r.title }))
                    },
                  })
                }
              />
            </section>
          ) : (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setDone(null)
                setWriting(true)
              }}
            >
              <Plus className="icon" aria-hidden="true" /> {t('messaging.canned.new')}
            </button>
          )}
          <div className="canned-search">
            <label htmlFor="canned-q">
              <Search className="icon" aria-hidden="true" /> {t('messaging.canned.search')}
            </label>
            <input id="canned-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          </div>
          {list.data.replies.length === 0 && <p>{t('messaging.canned.empty')}</p>}
          {list.data.replies.length > 0 && replies.length === 0 && <p>{t('messaging.canned.noMatch')}</p>}
          <ul className="canned-list" aria-label={t('messaging.canned.listLabel')}>
            {replies.map((r) => (
              <CannedCard key={r.id} reply={r} />
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
