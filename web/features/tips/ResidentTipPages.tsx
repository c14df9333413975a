import type { TTipView } from '@common/schemas/tips'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { KeyRound } from 'lucide-react'
import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../api/client'
import { formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { TextField } from './TipForm.parts'
import { AddToThread, StatusBadge, TipThread } from './TipThread'
import { addInfoByCode, lookupTipByCode, tipKeys, useMyTips, useTip, useTipMessage } from './tips-api'
import '../auth/auth.css'
import './tips.css'

/** /tips/mine: the signed-in resident's tips and where each stands. */
export function MyTipsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('tips.mine.title'))
  const { data, isError, error } = useMyTips()
  return (
    <>
      <h1>{t('tips.mine.title')}</h1>
      {isError && (
        <p role="alert">
          {error instanceof ApiError && error.status === 401 ? (
            <Link to="/sign-in?next=/tips/mine">{t('tips.mine.signIn')}</Link>
          ) : (
            t('tips.loadError')
          )}
        </p>
      )}
      {data?.length === 0 && <p>{t('tips.mine.empty')}</p>}
      <ul className="tip-list">
        {data?.map((tip) => (
          <li key={tip.id} className="tip-card">
            <StatusBadge kind="tip" status={tip.status} />{' '}
            <Link to={`/tips/mine/${tip.id}`}>
              {tip.reference} · {t(`tips.category.${tip.category}`)}
            </Link>
            {tip.hasUpdate && <span className="badge tip-card__new">{t('tips.mine.hasUpdate')}</span>}
            <p>{tip.excerpt}</p>
            <p className="field__hint">{formatDateTime(tip.createdAt)}</p>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/tips/new" className="btn">
          {t('pages.tipNew')}
        </Link>
      </p>
    </>
  )
}

/** /tips/mine/:id: one of my tips, the police's answers, and more information from me. */
export function MyTipPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const { data, dataUpdatedAt } = useTip(id)
  const add = useTipMessage(id)
  const queryClient = useQueryClient()
  // Reading the tip marked the police's updates seen on the server: the bar's count follows.
  useEffect(() => {
    if (dataUpdatedAt) void queryClient.invalidateQueries({ queryKey: tipKeys.mine })
  }, [dataUpdatedAt, queryClient])
  useDocumentTitle(data?.reference ?? t('tips.mine.title'))
  if (!data) return <p role="status">{t('tips.loading')}</p>
  return (
    <>
      <h1>{t('tips.mine.one', { reference: data.reference })}</h1>
      <TipThread tip={data} />
      <AddToThread
        label={t('tips.thread.addInfo')}
        withFiles
        onSend={(f) => add.mutateAsync(f)}
        pending={add.isPending}
      />
    </>
  )
}

/** /tips/code: whoever holds a tip code reads the answers and adds information; the code never goes in the URL. */
export function TipCodePage() {
  const { t } = useTranslation()
  useDocumentTitle(t('tips.code.title'))
  const [code, setCode] = useState('')
  const [tip, setTip] = useState<TTipView | null>(null)
  const lookup = useMutation({ mutationFn: lookupTipByCode, onSuccess: setTip })
  const add = useMutation({ mutationFn: addInfoByCode, onSuccess: setTip })
  const onLookup = (e: FormEvent) => {
    e.preventDefault()
    lookup.mutate(code)
  }
  const lookupError =
    lookup.error instanceof ApiError ? (lookup.error.fieldMessage('code') ?? lookup.error.detail) : undefined
  return (
    <>
      <h1>{t('tips.code.title')}</h1>
      <form className="form-card" onSubmit={onLookup}>
        <p>
          <KeyRound className="icon" aria-hidden="true" /> {t('tips.code.lead')}
        </p>
        <TextField
          name="code"
          label={t('tips.code.label')}
          value={code}
          onChange={setCode}
          required
          error={lookupError}
        />
        <button type="submit" className="btn" disabled={lookup.isPending}>
          {t('tips.code.open')}
        </button>
      </form>
      {tip && (
        <>
          <TipThread tip={tip} />
          <AddToThread
            label={t('tips.thread.addInfo')}
            withFiles
            pending={add.isPending}
            onSend={(form) => {
              form.append('code', code)
              return add.mutateAsync(form)
            }}
          />
        </>
      )}
    </>
  )
}
