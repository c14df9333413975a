import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { type FakeApi, installFakeApi, problem } from '../../test/fake-api'
import { renderPage } from '../../test/render'
import { PasswordCard } from './PasswordCard'

describe('changing a staff password', () => {
  let api: FakeApi
  beforeEach(() => {
    api = installFakeApi()
  })

  async function fill(current: string, next: string, repeat = next) {
    const user = userEvent.setup()
    await user.type(await screen.findByLabelText('Mật khẩu hiện tại'), current)
    await user.type(screen.getByLabelText('Mật khẩu mới'), next)
    await user.type(screen.getByLabelText('Nhập lại mật khẩu mới'), repeat)
    await user.click(screen.getByRole('button', { name: 'Đổi mật khẩu' }))
  }

  it('sends the current and new password, then says how many other devices were signed out', async () => {
    api.on('PUT', '/api/me/password', { body: { ended: 2 } })
    renderPage(<PasswordCard />)
    await fill('mat-khau-cu-dai', 'Sáng nay trời mưa phùn 7')
    expect(await screen.findByRole('status')).toHaveProperty(
      'textContent',
      'Đã đổi mật khẩu. 2 thiết bị khác đã được đăng xuất.',
    )
    expect(api.sent('PUT', '/api/me/password')[0]!.body).toEqual({
      currentPassword: 'mat-khau-cu-dai',
      newPassword: 'Sáng nay trời mưa phùn 7',
    })
    expect((screen.getByLabelText('Mật khẩu hiện tại') as HTMLInputElement).value).toBe('')
  })

  it('shows the server’s reason beside the field, and checks the repeat before sending', async () => {
    api.on(
      'PUT',
      '/api/me/password',
      problem(400, 'Dữ liệu không hợp lệ', [{ field: 'newPassword', message: 'Mật khẩu này quá phổ biến.' }]),
    )
    renderPage(<PasswordCard />)
    await fill('mat-khau-cu-dai', 'matkhau123456', 'matkhau12345')
    expect(screen.getByText('Hai lần nhập mật khẩu mới chưa khớp nhau.')).toBeTruthy()
    expect(api.sent('PUT', '/api/me/password')).toHaveLength(0)
    await userEvent.setup().type(screen.getByLabelText('Nhập lại mật khẩu mới'), '6')
    await userEvent.setup().click(screen.getByRole('button', { name: 'Đổi mật khẩu' }))
    await waitFor(() => expect(screen.getByText('Mật khẩu này quá phổ biến.')).toBeTruthy())
  })
})
