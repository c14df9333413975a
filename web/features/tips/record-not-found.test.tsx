import { screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { type FakeApi, installFakeApi, problem } from '../../test/fake-api'
import { renderPage } from '../../test/render'
import { HelpRequestPage } from './HelpRequestPages'
import { StaffCasePage } from './StaffCasePage'

const ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7'

describe('a case or a request for help that does not load', () => {
  let api: FakeApi
  beforeEach(() => {
    api = installFakeApi()
  })

  it('says the case is not there instead of loading for ever', async () => {
    api.on('GET', `/api/cases/${ID}`, problem(404, 'Not Found'))
    renderPage(<StaffCasePage />, { path: `/staff/cases/${ID}`, route: '/staff/cases/:id' })
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Không tìm thấy nội dung này, hoặc anh/chị không có quyền xem.',
    )
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('tells a failed network from a missing request for help', async () => {
    api.offline = true
    renderPage(<HelpRequestPage />, { path: `/help/${ID}`, route: '/help/:id' })
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Chưa tải được nội dung. Anh/chị kiểm tra kết nối mạng rồi thử lại.',
    )
  })
})
