import {
  ANONYMOUS_MAX_VIDEOS,
  PHOTO_MAX_BYTES,
  TIP_MAX_FILES,
  VIDEO_MAX_BYTES,
  VIDEO_MAX_SECONDS,
} from '@common/schemas/tips'

/** A problem with a chosen file, as an i18n key under `tips.form.fileCheck` and its values. */
export interface FileProblem {
  key:
    | 'tooMany'
    | 'tooManyVideos'
    | 'fileType'
    | 'videoType'
    | 'videoTooLarge'
    | 'photoTooLarge'
    | 'videoTooLong'
  values: Record<string, string | number>
}

const VIDEO_TYPES = ['video/mp4', 'video/quicktime', 'video/webm']
const MB = 1024 * 1024
const isVideo = (f: File) => f.type.startsWith('video/')

/** A clip's length in seconds from its metadata, or null when the browser cannot read it (the server still checks). */
export function videoDuration(file: File): Promise<number | null> {
  return new Promise((resolve) => {
    if (typeof document === 'undefined' || typeof URL.createObjectURL !== 'function') return resolve(null)
    const video = document.createElement('video')
    const url = URL.createObjectURL(file)
    const timer = setTimeout(() => done(null), 5000) // a browser that never reads it must not block the form
    function done(v: number | null) {
      clearTimeout(timer)
      URL.revokeObjectURL(url)
      resolve(v)
    }
    video.preload = 'metadata'
    video.onloadedmetadata = () => done(Number.isFinite(video.duration) ? video.duration : null)
    video.onerror = () => done(null)
    video.src = url
  })
}

/**
 * Checks the chosen files before anything is uploaded, so nobody waits for 100 MB to go up only to
 * be refused: how many, which types, how large, how long. The server checks all of it again.
 */
export async function checkTipFiles(
  files: File[],
  opts: { anonymous: boolean; durationOf?: (f: File) => Promise<number | null> },
): Promise<FileProblem[]> {
  const problems: FileProblem[] = []
  if (files.length > TIP_MAX_FILES) problems.push({ key: 'tooMany', values: { max: TIP_MAX_FILES } })
  if (opts.anonymous && files.filter(isVideo).length > ANONYMOUS_MAX_VIDEOS)
    problems.push({ key: 'tooManyVideos', values: { max: ANONYMOUS_MAX_VIDEOS } })
  const durationOf = opts.durationOf ?? videoDuration
  for (const f of files) {
    const name = f.name
    if (isVideo(f)) {
      if (!VIDEO_TYPES.includes(f.type)) problems.push({ key: 'videoType', values: { name } })
      else if (f.size > VIDEO_MAX_BYTES)
        problems.push({
          key: 'videoTooLarge',
          values: { name, size: Math.ceil(f.size / MB), max: VIDEO_MAX_BYTES / MB },
        })
      else {
        const seconds = await durationOf(f)
        if (seconds !== null && seconds > VIDEO_MAX_SECONDS)
          problems.push({
            key: 'videoTooLong',
            values: { name, minutes: Math.ceil(seconds / 60), max: VIDEO_MAX_SECONDS / 60 },
          })
      }
    } else if (f.type && !f.type.startsWith('image/')) problems.push({ key: 'fileType', values: { name } })
    else if (f.size > PHOTO_MAX_BYTES)
      problems.push({ key: 'photoTooLarge', values: { name, max: PHOTO_MAX_BYTES / MB } })
  }
  return problems
}
