import type { TAlertChannelPost, TAlertView } from '@common/schemas/alerts'
import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { AlertChannelPosts } from './AlertChannelPosts'

/** Only the field the component reads matters; the rest of the view is not looked at. */
const withPosts = (channelPosts: TAlertView['channelPosts']) => ({ channelPosts }) as TAlertView

/** A post on the ward's Page; the alert itself unless told otherwise. */
const post = (over: Partial<TAlertChannelPost>): TAlertChannelPost => ({
  channel: 'messenger',
  accountName: 'Công an phường',
  version: 1,
  msgType: 'Alert',
  status: 'posted',
  postedAt: null,
  errorKey: null,
  reach: null,
  reachReadAt: null,
  reachErrorKey: null,
  ...over,
})
/** The reach as read a day after posting. */
const read = (reach: number) => ({ reach, reachReadAt: '2026-12-05T01:00:00.000Z' })

describe('where a public alert was posted', () => {
  it('shows the Page it was posted on, and why another Page has not got it', () => {
    render(
      <AlertChannelPosts
        alert={withPosts([
          post({
            accountName: 'Công an phường Láng',
            status: 'posted',
            postedAt: '2026-12-05T03:00:00.000Z',
          }),
          post({ accountName: 'Trang cũ', status: 'failed', errorKey: 'channels.error.token_invalid' }),
        ])}
      />,
    )
    const list = within(screen.getByRole('region', { name: 'Đăng lên trang của đơn vị' }))
    const [posted, failed] = list.getAllByRole('listitem')
    expect(posted!.textContent).toBe(
      'Trang Facebook (Công an phường Láng): đã đăng lúc 05/12/2026 10:00 · số người tiếp cận có sau khoảng một ngày',
    )
    expect(failed!.textContent).toContain('Trang Facebook (Trang cũ): chưa đăng được — Mã truy cập')
    expect(failed!.textContent).not.toContain('tiếp cận')
  })

  it('shows each update and the cancellation as its own post, with the people each reached', () => {
    render(
      <AlertChannelPosts
        alert={withPosts([
          post({ ...read(12_480), postedAt: '2026-12-04T01:00:00.000Z' }),
          post({ version: 2, msgType: 'Update', ...read(3_050), postedAt: '2026-12-04T05:30:00.000Z' }),
          post({
            version: 3,
            msgType: 'Cancel',
            postedAt: '2026-12-05T02:00:00.000Z',
            reachReadAt: '2026-12-06T02:00:00.000Z',
            reachErrorKey: 'channels.error.refused',
          }),
        ])}
      />,
    )
    const [alert, update, cancel] = within(
      screen.getByRole('region', { name: 'Đăng lên trang của đơn vị' }),
    ).getAllByRole('listitem')
    expect(alert!.textContent).toBe(
      'Trang Facebook (Công an phường): đã đăng lúc 04/12/2026 08:00 · tiếp cận 12.480 người (số liệu lúc 05/12/2026 08:00)',
    )
    expect(update!.textContent).toContain(
      'Trang Facebook (Công an phường), bản cập nhật: đã đăng lúc 04/12/2026 12:30',
    )
    expect(update!.textContent).toContain('tiếp cận 3.050 người')
    expect(cancel!.textContent).toContain('thông báo hủy: đã đăng lúc 05/12/2026 09:00')
    expect(cancel!.textContent).toContain('chưa đọc được số người tiếp cận — Nền tảng từ chối')
  })

  it('shows nothing for an alert that was not posted anywhere', () => {
    const { container } = render(<AlertChannelPosts alert={withPosts([])} />)
    expect(container.innerHTML).toBe('')
  })
})
