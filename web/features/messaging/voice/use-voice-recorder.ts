import { VOICE_MAX_SECONDS } from '@common/schemas/messaging'
import { useCallback, useEffect, useRef, useState } from 'react'

/** Opus in WebM (Chromium, Android) or in Ogg (Firefox): the two the server accepts. */
const MIME_CANDIDATES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus']
/** Asked of the encoder: clear speech, about 0.5 MB for two minutes on a weak connection. */
const BITS_PER_SECOND = 32_000
const LEVEL_EVERY_MS = 100
export const VOICE_MAX_MS = VOICE_MAX_SECONDS * 1000
/** Shorter than this is a slip of the finger (the server refuses under 0.5 s too). */
export const VOICE_MIN_MS = 700

/** The format this browser records voice messages in, or null where it cannot (then: a file). */
export function recordingMime(): string | null {
  const Recorder = globalThis.MediaRecorder
  if (!Recorder || !globalThis.navigator?.mediaDevices?.getUserMedia) return null
  return MIME_CANDIDATES.find((type) => Recorder.isTypeSupported?.(type)) ?? null
}

export type RecorderState =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'recording'; elapsedMs: number; levels: number[] }
  | { phase: 'recorded'; blob: Blob; durationMs: number; levels: number[]; autoStopped: boolean }
  | { phase: 'error'; reason: 'denied' | 'too_short' | 'failed' }

interface Session {
  recorder: MediaRecorder
  stream: MediaStream
  chunks: Blob[]
  startedAt: number
  /** Whether sound has reached the recorder yet (the clock runs from then). */
  heard: boolean
  levels: number[]
  timer: ReturnType<typeof setInterval>
  audio?: AudioContext
  cancelled: boolean
  autoStopped: boolean
}

/** Loudness of the last slice (0–1) from the analyser, or a flat line where there is none. */
function levelOf(analyser: AnalyserNode | undefined, buf: Uint8Array<ArrayBuffer> | undefined): number {
  if (!analyser || !buf) return 0
  analyser.getByteTimeDomainData(buf)
  let peak = 0
  for (const v of buf) peak = Math.max(peak, Math.abs(v - 128))
  return Math.min(1, peak / 128)
}

/**
 * Records one voice message with MediaRecorder: the microphone is opened on start and released on
 * stop or cancel; the length and a waveform (one level every 100 ms) are kept while recording, and
 * recording stops by itself at two minutes.
 */
export function useVoiceRecorder() {
  const [state, setState] = useState<RecorderState>({ phase: 'idle' })
  const session = useRef<Session | null>(null)
  /** A stop asked for before the microphone was open (a very short press). */
  const stopWhenReady = useRef(false)

  const release = useCallback((s: Session) => {
    clearInterval(s.timer)
    for (const track of s.stream.getTracks()) track.stop()
    void s.audio?.close().catch(() => undefined)
  }, [])

  const stop = useCallback(() => {
    const s = session.current
    if (!s) {
      stopWhenReady.current = true
      return
    }
    if (s.recorder.state !== 'inactive') s.recorder.stop()
  }, [])

  const start = useCallback(async () => {
    const mime = recordingMime()
    if (!mime || session.current) return
    stopWhenReady.current = false
    setState({ phase: 'starting' })
    let stream: MediaStream
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true },
      })
    } catch {
      setState({ phase: 'error', reason: 'denied' })
      return
    }
    const recorder = new MediaRecorder(stream, { mimeType: mime, audioBitsPerSecond: BITS_PER_SECOND })
    let analyser: AnalyserNode | undefined
    let audio: AudioContext | undefined
    try {
      audio = new AudioContext()
      analyser = audio.createAnalyser()
      analyser.fftSize = 512
      audio.createMediaStreamSource(stream).connect(analyser)
    } catch {
      // No Web Audio: the recording works, the waveform stays flat.
    }
    const buf = analyser ? new Uint8Array(new ArrayBuffer(analyser.fftSize)) : undefined
    const s: Session = {
      recorder,
      stream,
      chunks: [],
      startedAt: performance.now(),
      levels: [],
      audio,
      cancelled: false,
      autoStopped: false,
      heard: !analyser,
      timer: setInterval(() => {
        const level = levelOf(analyser, buf)
        // The microphone may start delivering sound a few hundred ms after the recorder starts: the
        // clock starts with the first sound, so "0:02" on screen is two seconds in the file. A
        // microphone that stays digitally silent for a second is counted from the recorder's start.
        if (!s.heard && (level > 0 || performance.now() - s.startedAt > 1_000)) {
          s.heard = true
          if (level > 0) s.startedAt = performance.now() - LEVEL_EVERY_MS / 2
        }
        const elapsedMs = s.heard ? performance.now() - s.startedAt : 0
        s.levels.push(level)
        if (elapsedMs >= VOICE_MAX_MS) {
          s.autoStopped = true
          stop()
        } else setState({ phase: 'recording', elapsedMs, levels: [...s.levels] })
      }, LEVEL_EVERY_MS),
    }
    // The clock starts when the recorder does, not when it was asked to: opening the microphone
    // can take a moment, and the length shown (and the 2:00 stop) must be the recording's own.
    recorder.onstart = () => {
      s.startedAt = performance.now()
    }
    recorder.ondataavailable = (e) => {
      if (e.data.size) s.chunks.push(e.data)
    }
    recorder.onstop = () => {
      release(s)
      session.current = null
      if (s.cancelled) return setState({ phase: 'idle' })
      const durationMs = Math.min(Math.round(performance.now() - s.startedAt), VOICE_MAX_MS)
      if (durationMs < VOICE_MIN_MS || !s.chunks.length)
        return setState({ phase: 'error', reason: 'too_short' })
      const blob = new Blob(s.chunks, { type: recorder.mimeType || mime })
      setState({ phase: 'recorded', blob, durationMs, levels: s.levels, autoStopped: s.autoStopped })
    }
    recorder.onerror = () => {
      s.cancelled = true
      release(s)
      session.current = null
      setState({ phase: 'error', reason: 'failed' })
    }
    session.current = s
    recorder.start(1000)
    setState({ phase: 'recording', elapsedMs: 0, levels: [] })
    if (stopWhenReady.current) stop()
  }, [release, stop])

  const cancel = useCallback(() => {
    const s = session.current
    if (s) {
      s.cancelled = true
      if (s.recorder.state !== 'inactive') s.recorder.stop()
      else {
        release(s)
        session.current = null
      }
    }
    setState({ phase: 'idle' })
  }, [release])

  const reset = useCallback(() => setState({ phase: 'idle' }), [])

  // Leaving the page while recording releases the microphone and keeps nothing.
  useEffect(
    () => () => {
      const s = session.current
      if (!s) return
      s.cancelled = true
      if (s.recorder.state !== 'inactive') s.recorder.stop()
      release(s)
    },
    [release],
  )

  return { state, start, stop, cancel, reset }
}
