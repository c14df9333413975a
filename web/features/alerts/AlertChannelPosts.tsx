import type { TAlertChannelPost, TAlertView } from '@common/schemas/alerts'
import { useTranslation } from 'react-i18next'
import { formatDateTime, formatNumber } from '../../lib/format'
import { useChannelErrorText } from '../channels/StaffChannelsPage'

/** How many people a post reached, once the platform's figure was read (about a day after posting). */
function Reach({ post }: { post: TAlertChannelPost }) {
  const { t, i18n } = useTranslation()
  const errorText = useChannelErrorText()
  if (post.status !== 'posted') return null
  if (!post.reachReadAt) return <> · {t('alerts.channelPosts.reachPending')}</>
  if (post.reachErrorKey)
    return (
      <>
        {' '}
        · {t('alerts.channelPosts.reachError')} — {errorText(post.reachErrorKey)}
      </>
    )
  if (post.reach === null) return <> · {t('alerts.channelPosts.reachNone')}</>
  return (
    <>
      {' '}
      ·{' '}
      <span data-testid="alert-post-reach">
        {t('alerts.channelPosts.reach', {
          people: formatNumber(post.reach, i18n.language === 'en' ? 'en' : 'vi'),
          time: formatDateTime(post.reachReadAt),
        })}
      </span>
    </>
  )
}

/**
 * Staff: where a public alert was posted (the unit's Facebook Page) — the alert, then each update and
 * the cancellation as their own posts — when, how many people each reached, and why a post failed.
 */
export function AlertChannelPosts({ alert }: { alert: TAlertView }) {
  const { t } = useTranslation()
  const errorText = useChannelErrorText()
  const posts = alert.channelPosts ?? []
  if (posts.length === 0) return null
  return (
    <section className="alert-channel-posts" aria-label={t('alerts.channelPosts.title')}>
      <h2>{t('alerts.channelPosts.title')}</h2>
      <ul>
        {posts.map((p) => (
          <li key={`${p.channel}-${p.accountName}-${p.version}`} data-status={p.status}>
            {t(`alerts.channelPosts.platform.${p.channel}`)} {p.accountName && `(${p.accountName})`}
            {p.msgType !== 'Alert' && `, ${t(`alerts.channelPosts.kind.${p.msgType}`)}`}:{' '}
            {p.status === 'posted'
              ? t('alerts.channelPosts.posted', { time: p.postedAt ? formatDateTime(p.postedAt) : '' })
              : t(`alerts.channelPosts.${p.status}`)}
            {p.errorKey && ` — ${errorText(p.errorKey)}`}
            <Reach post={p} />
          </li>
        ))}
      </ul>
    </section>
  )
}
