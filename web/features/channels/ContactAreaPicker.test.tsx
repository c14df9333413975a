import { fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { installFakeApi } from '../../test/fake-api'
import { CONVERSATION, conversationView } from '../../test/messaging-fixtures'
import { renderPage } from '../../test/render'
import { ContactAreaPicker } from './ContactAreaPicker'

const AREA = '00000000-0000-4000-8000-0000000000c3'
const MERGED = '00000000-0000-4000-8000-0000000000d4'
const url = `/api/conversations/${CONVERSATION}/contact-area`

describe("the officer's area picker for a Zalo / Messenger contact", () => {
  afterEach(() => vi.unstubAllGlobals())

  it('offers the unit areas and sends the choice; the inbox then opens the conversation that holds the messages', async () => {
    const api = installFakeApi()
    api.on('GET', url, { body: { needsArea: true, areas: [{ id: AREA, name: 'Tổ dân phố 3' }] } })
    api.on('PUT', url, { body: { conversationId: MERGED } })
    const conversation = conversationView('Zalo …7001', {
      id: CONVERSATION,
      channel: 'zalo',
      can: ['read', 'post', 'work'],
    })
    const { router } = renderPage(<ContactAreaPicker conversation={conversation} />, {
      path: `/staff/inbox/${CONVERSATION}`,
      route: '/staff/inbox/:id',
    })
    const select = await screen.findByLabelText('Tổ dân phố của người nhắn')
    fireEvent.change(select, { target: { value: AREA } })
    fireEvent.click(screen.getByRole('button', { name: 'Chuyển cho tổ này' }))
    await vi.waitFor(() => expect(router.state.location.pathname).toBe(`/staff/inbox/${MERGED}`))
    expect(api.sent('PUT', url)[0]?.body).toEqual({ areaId: AREA })
  })

  it('shows nothing for a web resident, and asks nothing of the server', async () => {
    const api = installFakeApi()
    renderPage(<ContactAreaPicker conversation={conversationView('Nguyễn Thị Lan', { channel: 'web' })} />)
    await new Promise((r) => setTimeout(r, 20))
    expect(screen.queryByRole('combobox')).toBeNull()
    expect(api.requests).toHaveLength(0)
  })
})
