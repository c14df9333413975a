import i18n from 'i18next'
import { describe, expect, it } from 'vitest'
import en from '../../i18n/en.json'
import vi from '../../i18n/vi.json'
import { checkTipFiles } from './check-tip-files'

const MB = 1024 * 1024
/** A File of `size` bytes without allocating them (only `size` and `type` are read before upload). */
const file = (name: string, type: string, size: number) => {
  const f = new File(['x'], name, { type })
  Object.defineProperty(f, 'size', { value: size })
  return f
}
const lengths: Record<string, number> = { 'long.mp4': 12 * 60, 'short.mp4': 40 }
const durationOf = async (f: File) => lengths[f.name] ?? null

describe('tip files are checked before upload', () => {
  it('refuses a video over 100 MB, over 5 minutes, or of another type, with a Vietnamese message naming it', async () => {
    const problems = await checkTipFiles(
      [
        file('big.mp4', 'video/mp4', 150 * MB),
        file('long.mp4', 'video/mp4', 30 * MB),
        file('clip.avi', 'video/x-msvideo', 5 * MB),
        file('short.mp4', 'video/mp4', 30 * MB),
        file('photo.jpg', 'image/jpeg', 2 * MB),
      ],
      { anonymous: false, durationOf },
    )
    expect(problems.map((p) => [p.key, p.values.name])).toEqual([
      ['videoTooLarge', 'big.mp4'],
      ['videoTooLong', 'long.mp4'],
      ['videoType', 'clip.avi'],
    ])
    await i18n.init({ lng: 'vi', resources: { vi: { translation: vi }, en: { translation: en } } })
    const say = (lng: string, i: number) =>
      i18n.getFixedT(lng)(`tips.form.fileCheck.${problems[i]!.key}`, problems[i]!.values)
    expect(say('vi', 0)).toBe(
      'Video “big.mp4” nặng 150 MB, quá giới hạn 100 MB. Hãy cắt ngắn video hoặc quay ở chất lượng thấp hơn.',
    )
    expect(say('vi', 1)).toContain('dài khoảng 12 phút, quá giới hạn 5 phút')
    expect(say('en', 2)).toContain('MP4, MOV or WebM')
  })

  it('counts files and an anonymous sender’s videos; accepts what the server accepts', async () => {
    const clips = [1, 2, 3].map((i) => file(`c${i}.webm`, 'video/webm', MB))
    expect((await checkTipFiles(clips, { anonymous: true, durationOf })).map((p) => p.key)).toEqual([
      'tooManyVideos',
    ])
    expect(await checkTipFiles(clips, { anonymous: false, durationOf })).toEqual([])
    const seven = Array.from({ length: 7 }, (_, i) => file(`p${i}.jpg`, 'image/jpeg', MB))
    expect((await checkTipFiles(seven, { anonymous: false, durationOf })).map((p) => p.key)).toEqual([
      'tooMany',
    ])
    const odd = [file('notes.pdf', 'application/pdf', MB), file('huge.png', 'image/png', 25 * MB)]
    expect((await checkTipFiles(odd, { anonymous: false, durationOf })).map((p) => p.key)).toEqual([
      'fileType',
      'photoTooLarge',
    ])
    // A clip whose length the browser cannot read is left to the server.
    expect(
      await checkTipFiles([file('x.mov', 'video/quicktime', MB)], { anonymous: false, durationOf }),
    ).toEqual([])
  })
})
