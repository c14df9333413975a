import { afterEach, describe, expect, it, vi } from 'vitest'
import { KeyBatcher } from './key-batcher'

function recording(answer: (key: number) => string | undefined = (k) => `v${k}`) {
  const calls: number[][] = []
  let release: (() => void) | undefined
  let hold = false
  const batcher = new KeyBatcher<number, string>(async (keys) => {
    calls.push(keys)
    if (hold) await new Promise<void>((r) => (release = r))
    const found = new Map<number, string>()
    for (const k of keys) {
      const v = answer(k)
      if (v !== undefined) found.set(k, v)
    }
    return found
  }, 3)
  return {
    batcher,
    calls,
    holdNext: () => (hold = true),
    release: () => {
      hold = false
      release?.()
    },
  }
}

describe('KeyBatcher', () => {
  it('loads the keys asked in one turn together, and a key asked twice once', async () => {
    const { batcher, calls } = recording()
    const values = await Promise.all([batcher.load(1), batcher.load(2), batcher.load(1)])
    expect(values).toEqual(['v1', 'v2', 'v1'])
    expect(calls).toEqual([[1, 2]])
  })

  it('answers undefined for a key the loader did not find', async () => {
    const { batcher } = recording((k) => (k === 2 ? undefined : `v${k}`))
    expect(await Promise.all([batcher.load(1), batcher.load(2)])).toEqual(['v1', undefined])
  })

  it('keeps one batch in flight: keys asked meanwhile go together when it ends', async () => {
    const t = recording()
    t.holdNext()
    const first = t.batcher.load(1)
    await new Promise((r) => setImmediate(r))
    expect(t.calls).toEqual([[1]])
    const later = [t.batcher.load(2), t.batcher.load(3)]
    await new Promise((r) => setImmediate(r))
    await new Promise((r) => setImmediate(r))
    expect(t.calls).toEqual([[1]]) // still waiting for the first batch
    t.release()
    expect(await Promise.all([first, ...later])).toEqual(['v1', 'v2', 'v3'])
    expect(t.calls).toEqual([[1], [2, 3]])
  })

  it('splits more keys than a batch holds into several batches', async () => {
    const { batcher, calls } = recording()
    const values = await Promise.all([1, 2, 3, 4, 5].map((k) => batcher.load(k)))
    expect(values).toEqual(['v1', 'v2', 'v3', 'v4', 'v5'])
    expect(calls).toEqual([
      [1, 2, 3],
      [4, 5],
    ])
  })

  it('fails only the batch whose load failed, and loads the next one', async () => {
    let fail = true
    const batcher = new KeyBatcher<number, number>(async (keys) => {
      if (fail) {
        fail = false
        throw new Error('database away')
      }
      return new Map(keys.map((k) => [k, k * 10]))
    })
    await expect(batcher.load(1)).rejects.toThrow('database away')
    expect(await batcher.load(2)).toBe(20)
  })

  describe('with a window', () => {
    afterEach(() => {
      vi.useRealTimers()
    })
    const timed = () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] })
      const calls: number[][] = []
      const batcher = new KeyBatcher<number, number>(
        async (keys) => {
          calls.push(keys)
          return new Map(keys.map((k) => [k, k]))
        },
        500,
        10,
      )
      return { batcher, calls }
    }

    it('a lone lookup does not wait for the window', async () => {
      const { batcher, calls } = timed()
      const one = batcher.load(1)
      await vi.advanceTimersByTimeAsync(0)
      expect(calls).toEqual([[1]])
      expect(await one).toBe(1)
    })

    it('while batches follow one another, a batch waits the window and takes what came meanwhile', async () => {
      const { batcher, calls } = timed()
      await Promise.all([batcher.load(1), vi.advanceTimersByTimeAsync(0)])
      // The storm goes on: keys arrive 4 ms apart, within one window of the last batch.
      const more = [batcher.load(2)]
      await vi.advanceTimersByTimeAsync(4)
      expect(calls).toEqual([[1]])
      more.push(batcher.load(3))
      await vi.advanceTimersByTimeAsync(6)
      expect(await Promise.all(more)).toEqual([2, 3])
      expect(calls).toEqual([[1], [2, 3]])
      // Quiet for longer than the storm's span: the next lookup goes at once again.
      await vi.advanceTimersByTimeAsync(100)
      const late = batcher.load(4)
      await vi.advanceTimersByTimeAsync(0)
      expect(calls).toEqual([[1], [2, 3], [4]])
      expect(await late).toBe(4)
    })
  })
})
