import type { TSendMessageRequest } from '@common/schemas/messaging'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type FakeApi, installFakeApi, problem } from '../../../test/fake-api'
import { installFakeWebSocket } from '../../../test/fake-socket'
import { CONVERSATION, conversationView, messageView } from '../../../test/messaging-fixtures'
import { renderPage } from '../../../test/render'
import { sendQueue } from '../send-queue'
import { Thread } from '../Thread'
import { VoicePlayer } from './VoicePlayer'

const UPLOAD_PATH = `/api/conversations/${CONVERSATION}/attachments`
const SEND_PATH = `/api/conversations/${CONVERSATION}/messages`
const FILE_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7'

/** The browser's clock as the recorder reads it: moved by the test, not by waiting. */
let clock = 0
const trackStopped = vi.fn()
const getUserMedia = vi.fn(async () => ({ getTracks: () => [{ stop: trackStopped }] }))

/** MediaRecorder as Chromium has it: WebM/Opus, one chunk of data handed over on stop. */
class FakeMediaRecorder {
  static isTypeSupported = (type: string) => type === 'audio/webm;codecs=opus'
  state: 'inactive' | 'recording' = 'inactive'
  readonly mimeType: string
  ondataavailable: ((e: { data: Blob }) => void) | null = null
  onstop: (() => void) | null = null
  onerror: (() => void) | null = null
  constructor(_stream: unknown, opts: { mimeType: string }) {
    this.mimeType = opts.mimeType
  }
  start() {
    this.state = 'recording'
  }
  stop() {
    this.state = 'inactive'
    this.ondataavailable?.({
      data: new Blob([new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3])], { type: this.mimeType }),
    })
    this.onstop?.()
  }
}

function installRecorder() {
  vi.stubGlobal('MediaRecorder', FakeMediaRecorder)
  Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia }, configurable: true })
}

function renderThread() {
  return renderPage(
    <Thread
      conversationId={CONVERSATION}
      queueTarget={CONVERSATION}
      userId={null}
      canPost
      ensureConversation={async () => CONVERSATION}
      label="Hỏi công an khu vực"
    />,
  )
}

const voiceMessage = (clientKey: string) =>
  messageView('', {
    kind: 'voice',
    clientKey,
    attachments: [
      {
        fileId: FILE_ID,
        kind: 'voice',
        mime: 'audio/webm',
        name: 'tin-nhan-thoai.webm',
        size: 7,
        durationMs: 7400,
        url: `/api/files/${FILE_ID}`,
      },
    ],
  })

describe('voice messages in the composer and the thread', () => {
  installFakeWebSocket()
  let api: FakeApi
  beforeEach(() => {
    clock = 0
    vi.spyOn(performance, 'now').mockImplementation(() => clock)
    trackStopped.mockClear()
    getUserMedia.mockClear()
    api = installFakeApi()
    api.on('GET', SEND_PATH, { body: { messages: [], pinned: [], hasMore: false } })
    api.on('GET', `/api/conversations/${CONVERSATION}`, {
      body: conversationView('Hỏi', { id: CONVERSATION }),
    })
    api.on('GET', '/api/sync', { body: { messages: [], cursor: 0, hasMore: false } })
    api.on('POST', `/api/conversations/${CONVERSATION}/read`, { status: 204 })
  })
  afterEach(() => {
    expect(sendQueue().list()).toEqual([])
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
  })

  it('records with length and waveform, previews, and sends once through the outbox when an answer is lost', async () => {
    installRecorder()
    const uploads: string[] = []
    let uploadAnswerLost = true
    api.on('POST', UPLOAD_PATH, (req) => {
      uploads.push(req.headers['idempotency-key'] ?? '')
      if (uploadAnswerLost) {
        uploadAnswerLost = false
        return problem(503, 'Service Unavailable')
      }
      return { status: 201, body: { fileId: FILE_ID, kind: 'voice', durationMs: 7400, url: '' } }
    })
    api.on('POST', SEND_PATH, (req) => ({
      status: 201,
      body: {
        conversationId: CONVERSATION,
        message: voiceMessage((req.body as TSendMessageRequest).clientKey),
      },
    }))
    renderThread()
    const user = userEvent.setup()

    await user.click(screen.getByRole('button', { name: 'Ghi âm' }))
    const recording = await screen.findByTestId('voice-recording')
    expect(recording.textContent).toContain('Đang ghi âm')
    expect(getUserMedia).toHaveBeenCalledTimes(1)
    expect(within(recording).getByRole('img', { name: 'Dạng sóng của bản ghi âm' })).toBeTruthy()
    clock = 7400
    await waitFor(() => expect(screen.getByTestId('voice-elapsed').textContent).toBe('0:07 / 2:00'))

    await user.click(screen.getByRole('button', { name: 'Dừng ghi âm' }))
    const preview = await screen.findByRole('region', { name: 'Nghe lại trước khi gửi' })
    expect(preview.textContent).toContain('Độ dài 0:07, tối đa 2:00')
    expect(trackStopped).toHaveBeenCalled() // the microphone is released as soon as recording stops
    expect(api.sent('POST', UPLOAD_PATH)).toHaveLength(0) // nothing leaves before "send"

    await user.click(within(preview).getByRole('button', { name: 'Gửi tin nhắn thoại' }))
    const waiting = await screen.findByTestId('outgoing')
    expect(waiting.textContent).toContain('Tin nhắn thoại · 0:07')
    await waitFor(() => expect(uploads).toHaveLength(1))
    window.dispatchEvent(new Event('online'))

    await waitFor(() => expect(screen.queryAllByTestId('outgoing')).toHaveLength(0))
    expect(uploads).toHaveLength(2)
    expect(new Set(uploads).size).toBe(1) // the retry names the same upload: one file on the server
    const sends = api.sent('POST', SEND_PATH)
    expect(sends).toHaveLength(1)
    expect((sends[0]!.body as TSendMessageRequest).attachmentIds).toEqual([FILE_ID])
    const player = await screen.findByTestId('voice-player')
    expect(player.textContent).toContain('0:07')
  })

  it('cancelling a recording keeps and sends nothing and releases the microphone', async () => {
    installRecorder()
    renderThread()
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Ghi âm' }))
    await screen.findByTestId('voice-recording')
    clock = 3000
    await user.click(screen.getByRole('button', { name: 'Huỷ ghi âm' }))
    expect(screen.queryByTestId('voice-recording')).toBeNull()
    expect(screen.queryByRole('region', { name: 'Nghe lại trước khi gửi' })).toBeNull()
    expect(trackStopped).toHaveBeenCalled()
    expect(screen.getByRole('button', { name: 'Ghi âm' })).toBeTruthy()
    expect(api.sent('POST', UPLOAD_PATH)).toHaveLength(0)
  })

  it('stops by itself at two minutes and says so', async () => {
    installRecorder()
    renderThread()
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Ghi âm' }))
    await screen.findByTestId('voice-recording')
    clock = 120_050
    const preview = await screen.findByRole('region', { name: 'Nghe lại trước khi gửi' })
    expect(preview.textContent).toContain('Đã đủ 2 phút nên máy tự dừng ghi âm')
    expect(trackStopped).toHaveBeenCalled()
    await user.click(within(preview).getByRole('button', { name: 'Xoá bản ghi' }))
  })

  it('offers a file picker where the browser cannot record, and sends the chosen recording', async () => {
    vi.stubGlobal('MediaRecorder', undefined)
    api.on('POST', UPLOAD_PATH, { status: 201, body: { fileId: FILE_ID, kind: 'voice', durationMs: 7400 } })
    api.on('POST', SEND_PATH, (req) => ({
      status: 201,
      body: {
        conversationId: CONVERSATION,
        message: voiceMessage((req.body as TSendMessageRequest).clientKey),
      },
    }))
    renderThread()
    expect(screen.queryByRole('button', { name: 'Ghi âm' })).toBeNull()
    const picker = screen.getByLabelText('Chọn tệp ghi âm') as HTMLInputElement
    expect(picker.accept).toContain('audio/ogg')
    await userEvent.upload(
      picker,
      new File([new Uint8Array([0x4f, 0x67, 0x67, 0x53])], 'ghi-am.ogg', { type: 'audio/ogg' }),
    )
    await waitFor(() => expect(api.sent('POST', SEND_PATH)).toHaveLength(1))
    expect(api.sent('POST', UPLOAD_PATH)).toHaveLength(1)
    await screen.findByTestId('voice-player')
    await waitFor(() => expect(screen.queryAllByTestId('outgoing')).toHaveLength(0))
  })

  it('shows the server’s reason when it refuses a recording, and lets it be dropped', async () => {
    installRecorder()
    api.on('POST', UPLOAD_PATH, {
      status: 415,
      body: {
        type: '/problems/unsupported-media-type',
        title: 'Unsupported',
        status: 415,
        detail: 'Tin nhắn thoại dài tối đa 2 phút (đoạn này dài 150 giây).',
      },
    })
    renderThread()
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Ghi âm' }))
    await screen.findByTestId('voice-recording')
    clock = 5000
    await user.click(screen.getByRole('button', { name: 'Dừng ghi âm' }))
    await user.click(await screen.findByRole('button', { name: 'Gửi tin nhắn thoại' }))
    const failed = await screen.findByRole('alert')
    expect(failed.textContent).toBe(
      'Không gửi được: Tin nhắn thoại dài tối đa 2 phút (đoạn này dài 150 giây).',
    )
    expect(api.sent('POST', SEND_PATH)).toHaveLength(0)
    await user.click(within(screen.getByTestId('outgoing')).getByRole('button', { name: 'Bỏ tin này' }))
  })
})

describe('the voice message player', () => {
  it('shows the length and changes speed 1× → 1,5× → 2× → 1×', async () => {
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (this: HTMLMediaElement) {
      this.dispatchEvent(new Event('play'))
      return Promise.resolve()
    })
    const { container } = render(<VoicePlayer src="/api/files/x" durationMs={65_000} />)
    expect(screen.getByTestId('voice-time').textContent).toBe('1:05')
    const audio = container.querySelector('audio')!
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Tốc độ phát 1×, bấm để đổi' }))
    expect(audio.playbackRate).toBe(1.5)
    await user.click(screen.getByRole('button', { name: 'Tốc độ phát 1,5×, bấm để đổi' }))
    expect(audio.playbackRate).toBe(2)
    await user.click(screen.getByRole('button', { name: 'Phát tin nhắn thoại' }))
    expect(screen.getByRole('button', { name: 'Tạm dừng' })).toBeTruthy()
    expect(audio.playbackRate).toBe(2)
    await user.click(screen.getByRole('button', { name: 'Tốc độ phát 2×, bấm để đổi' }))
    expect(audio.playbackRate).toBe(1)
    vi.restoreAllMocks()
  })
})
