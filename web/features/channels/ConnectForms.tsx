import { Link2, Plug } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { FormField } from '../../components/FormField'
import { useConnectMessenger, useStartZaloOAuth } from './channels-api'

type Values = Record<string, string>
type FieldName = 'name' | 'appId' | 'appSecret' | 'oaSecret' | 'pageId' | 'pageAccessToken' | 'verifyToken'
/** Fields whose meaning is not obvious from the platform's own settings page get a hint. */
const HINTS = { oaSecret: 'channels.hint.oaSecret', verifyToken: 'channels.hint.verifyToken' } as const

/** One labelled input; secrets are password fields the browser never saves or fills in. */
function Field(props: {
  name: FieldName
  values: Values
  setValues: (v: Values) => void
  error: ApiError | null
  secret?: boolean
  numeric?: boolean
}) {
  const { t } = useTranslation()
  const { name, values, setValues } = props
  return (
    <FormField
      label={t(`channels.field.${name}`)}
      hint={name in HINTS ? t(HINTS[name as keyof typeof HINTS]) : undefined}
      error={props.error?.fieldMessage(name)}
    >
      {(control) => (
        <input
          {...control}
          name={name}
          type={props.secret ? 'password' : 'text'}
          autoComplete={props.secret ? 'new-password' : 'off'}
          inputMode={props.numeric ? 'numeric' : undefined}
          value={values[name] ?? ''}
          onChange={(e) => setValues({ ...values, [name]: e.target.value })}
        />
      )}
    </FormField>
  )
}

const problemOf = (err: unknown) => (err instanceof ApiError ? err : null)

function FormProblem({ error }: { error: ApiError | null }) {
  if (!error) return null
  return (
    <p className="dir-error" role="alert">
      {error.errors?.length ? error.title : (error.detail ?? error.title)}
    </p>
  )
}

/**
 * "Connect with Zalo": the app's ids and secrets here, then Zalo's consent page (OAuth v4 with PKCE);
 * Zalo sends the browser back to the callback, which stores the tokens and returns to this page.
 */
export function ZaloConnectForm({ unitId, redirectUri }: { unitId: string; redirectUri: string }) {
  const { t } = useTranslation()
  const [values, setValues] = useState<Values>({})
  const start = useStartZaloOAuth(unitId)
  const error = problemOf(start.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    start.mutate(
      {
        name: values.name ?? '',
        appId: values.appId ?? '',
        appSecret: values.appSecret ?? '',
        oaSecret: values.oaSecret ?? '',
      },
      { onSuccess: (r) => window.location.assign(r.authorizationUrl) },
    )
  }
  const field = { values, setValues, error }
  return (
    <form className="org-form form-panel" onSubmit={submit} aria-labelledby="connect-zalo">
      <h2 id="connect-zalo">{t('channels.zalo.connectTitle')}</h2>
      <p>{t('channels.zalo.intro')}</p>
      <p className="channels-uri">
        {t('channels.zalo.redirectUri')} <code>{redirectUri}</code>
      </p>
      <Field name="name" {...field} />
      <Field name="appId" numeric {...field} />
      <Field name="appSecret" secret {...field} />
      <Field name="oaSecret" secret {...field} />
      <FormProblem error={error} />
      <button type="submit" className="btn" disabled={start.isPending || start.isSuccess}>
        <Link2 className="icon" aria-hidden="true" />
        {t('channels.zalo.connect')}
      </button>
    </form>
  )
}

/** The Facebook Page: its id and page access token, the app secret (signatures) and the verify token. */
export function MessengerConnectForm({ unitId }: { unitId: string }) {
  const { t } = useTranslation()
  const [values, setValues] = useState<Values>({})
  const connect = useConnectMessenger(unitId)
  const error = problemOf(connect.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    connect.mutate(
      {
        name: values.name ?? '',
        pageId: values.pageId ?? '',
        appSecret: values.appSecret ?? '',
        pageAccessToken: values.pageAccessToken ?? '',
        verifyToken: values.verifyToken ?? '',
      },
      // The secrets leave the form once saved: they are never shown again.
      { onSuccess: () => setValues({}) },
    )
  }
  const field = { values, setValues, error }
  return (
    <form className="org-form form-panel" onSubmit={submit} aria-labelledby="connect-messenger">
      <h2 id="connect-messenger">{t('channels.messenger.connectTitle')}</h2>
      <p>{t('channels.messenger.intro')}</p>
      <Field name="name" {...field} />
      <Field name="pageId" numeric {...field} />
      <Field name="appSecret" secret {...field} />
      <Field name="pageAccessToken" secret {...field} />
      <Field name="verifyToken" secret {...field} />
      <FormProblem error={error} />
      {connect.isSuccess && (
        <p role="status" className="org-done">
          {t('channels.messenger.connected', { name: connect.data.name || connect.data.externalId })}
        </p>
      )}
      <button type="submit" className="btn" disabled={connect.isPending}>
        <Plug className="icon" aria-hidden="true" />
        {t('channels.messenger.connect')}
      </button>
    </form>
  )
}
