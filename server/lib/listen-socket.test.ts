import { describe, expect, it } from 'vitest'
import { takeListenSocket } from './listen-socket'

describe('takeListenSocket (systemd socket activation)', () => {
  it('takes descriptor 3 when the socket was handed to this very process, and clears the variables', () => {
    const env: NodeJS.ProcessEnv = {
      LISTEN_FDS: '1',
      LISTEN_PID: '4242',
      LISTEN_FDNAMES: 'nhipcau.socket',
      PATH: '/bin',
    }
    expect(takeListenSocket(env, 4242)).toBe(3)
    expect(env).toEqual({ PATH: '/bin' })
  })

  it('ignores a socket handed to another process (the variables inherited from a parent)', () => {
    const env: NodeJS.ProcessEnv = { LISTEN_FDS: '1', LISTEN_PID: '1' }
    expect(takeListenSocket(env, 4242)).toBeUndefined()
    expect(env).toEqual({})
  })

  it('binds by itself when nothing or nonsense was handed', () => {
    expect(takeListenSocket({}, 4242)).toBeUndefined()
    expect(takeListenSocket({ LISTEN_FDS: '0', LISTEN_PID: '4242' }, 4242)).toBeUndefined()
    expect(takeListenSocket({ LISTEN_FDS: 'x', LISTEN_PID: '4242' }, 4242)).toBeUndefined()
  })
})
