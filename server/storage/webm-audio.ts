import { randomInt } from 'node:crypto'
import {
  children,
  type EbmlElement,
  EbmlError,
  element,
  floatElement,
  readElement,
  readFloat,
  readSize,
  readString,
  readUint,
  stringElement,
  uintElement,
} from './ebml'
import { AudioFormatError, opusPacketMs, type ParsedAudio } from './opus'

/**
 * A voice recording in WebM (what Chromium's MediaRecorder writes): one Opus audio track, checked
 * element by element, its length measured from the blocks themselves (browsers write no Duration),
 * and rewritten with only what playback needs. Tags, titles, dates, attachments, chapters, the
 * muxing and writing applications and the track's name and language are dropped; the sound is
 * copied byte for byte. The rewritten file carries its Duration, so players show the length.
 */

const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackUID: 0x73c5,
  TrackType: 0x83,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  CodecDelay: 0x56aa,
  SeekPreRoll: 0x56bb,
  Audio: 0xe1,
  SamplingFrequency: 0xb5,
  Channels: 0x9f,
  BitDepth: 0x6264,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  BlockDuration: 0x9b,
  Cues: 0x1c53bb6b,
  Tags: 0x1254c367,
  Attachments: 0x1941a469,
  Chapters: 0x1043a770,
} as const

/** Children of a Segment: an unknown-size Cluster ends where the next of these begins. */
const SEGMENT_CHILDREN = new Set<number>([
  ID.SeekHead,
  ID.Info,
  ID.Tracks,
  ID.Cluster,
  ID.Cues,
  ID.Tags,
  ID.Attachments,
  ID.Chapters,
])

const TRACK_AUDIO = 2

interface AudioTrack {
  number: number
  codecPrivate: Buffer | null
  codecDelay: number | null
  seekPreRoll: number | null
  samplingFrequency: number
  channels: number
  bitDepth: number | null
}

interface Cluster {
  timecode: number
  /** SimpleBlocks and BlockGroups of the audio track, each as a whole element, with its timing. */
  blocks: { bytes: Buffer; relative: number; ms: number }[]
}

const fail = (detail: string): never => {
  throw new AudioFormatError('unreadable', detail)
}
const notOpus = (detail: string): never => {
  throw new AudioFormatError('not_opus', detail)
}

function childMap(buf: Buffer, parent: EbmlElement): Map<number, EbmlElement> {
  return new Map(children(buf, parent.dataStart, parent.dataEnd).map((c) => [c.id, c]))
}

function readDocType(buf: Buffer, header: EbmlElement): string {
  const docType = childMap(buf, header).get(ID.DocType)
  return docType ? readString(buf, docType) : 'matroska'
}

function readTrack(buf: Buffer, tracks: EbmlElement): AudioTrack {
  const entries = children(buf, tracks.dataStart, tracks.dataEnd).filter((e) => e.id === ID.TrackEntry)
  if (entries.length !== 1) notOpus(`expected one track, found ${entries.length}`)
  const entry = childMap(buf, entries[0]!)
  const get = (id: number) => entry.get(id)
  const type = get(ID.TrackType)
  if (!type || readUint(buf, type) !== TRACK_AUDIO) notOpus('the track is not audio')
  const codec = get(ID.CodecID)
  if (!codec || readString(buf, codec) !== 'A_OPUS') notOpus('the audio is not Opus')
  const number = get(ID.TrackNumber)
  if (!number) fail('track without a number')
  const audio = get(ID.Audio) ? childMap(buf, get(ID.Audio)!) : new Map<number, EbmlElement>()
  const opt = (el: EbmlElement | undefined) => (el ? readUint(buf, el) : null)
  const freq = audio.get(ID.SamplingFrequency)
  const priv = get(ID.CodecPrivate)
  return {
    number: readUint(buf, number!),
    codecPrivate: priv ? Buffer.from(buf.subarray(priv.dataStart, priv.dataEnd)) : null,
    codecDelay: opt(get(ID.CodecDelay)),
    seekPreRoll: opt(get(ID.SeekPreRoll)),
    samplingFrequency: freq ? readFloat(buf, freq) : 48000,
    channels: opt(audio.get(ID.Channels)) ?? 1,
    bitDepth: opt(audio.get(ID.BitDepth)),
  }
}

/** A block's track, timecode (relative to its cluster) and play time of its frames in ms. */
function readBlock(buf: Buffer, el: EbmlElement): { track: number; relative: number; ms: number } {
  const track = readSize(buf, el.dataStart)
  const at = el.dataStart + track.length
  if (at + 3 > el.dataEnd) fail('block too short')
  const relative = buf.readInt16BE(at)
  const flags = buf[at + 2]!
  const lacing = (flags >> 1) & 3
  // Laced blocks hold several packets of the same configuration (MediaRecorder never laces).
  const frames = lacing === 0 ? 1 : buf[at + 3]! + 1
  const firstPacket = buf.subarray(lacing === 0 ? at + 3 : at + 4, el.dataEnd)
  return { track: track.value, relative, ms: opusPacketMs(firstPacket) * frames }
}

/** Reads and checks the file, then writes it again with the sound only. */
export function readWebmOpus(buf: Buffer): ParsedAudio {
  try {
    return parse(buf)
  } catch (err) {
    if (err instanceof EbmlError) throw new AudioFormatError('unreadable', err.message)
    if (err instanceof RangeError) throw new AudioFormatError('unreadable', 'truncated')
    throw err
  }
}

function parse(buf: Buffer): ParsedAudio {
  const header = readElement(buf, 0, buf.length)
  if (header.id !== ID.EBML || header.unknownSize) fail('not EBML')
  const docType = readDocType(buf, header)
  if (docType !== 'webm' && docType !== 'matroska') fail(`document type ${docType}`)
  const segment = readElement(buf, header.dataEnd, buf.length)
  if (segment.id !== ID.Segment) fail('no segment')

  let scale = 1_000_000
  let track: AudioTrack | null = null
  const clusters: Cluster[] = []
  let pos = segment.dataStart
  while (pos < segment.dataEnd) {
    const el = readElement(buf, pos, segment.dataEnd)
    if (el.id === ID.Info) {
      const s = childMap(buf, el).get(ID.TimecodeScale)
      if (s) scale = readUint(buf, s)
      if (!scale) fail('zero timecode scale')
    } else if (el.id === ID.Tracks) {
      if (track) notOpus('two track lists')
      track = readTrack(buf, el)
    } else if (el.id === ID.Cluster) {
      if (!track) fail('cluster before tracks')
      const { cluster, end } = readCluster(buf, el, track!.number, scale)
      clusters.push(cluster)
      pos = end
      continue
    } else if (el.unknownSize) {
      fail('unknown size outside a cluster')
    }
    pos = el.dataEnd
  }
  if (!track) return notOpus('no tracks')

  let first = Number.POSITIVE_INFINITY
  let last = 0
  for (const c of clusters)
    for (const b of c.blocks) {
      const start = ((c.timecode + b.relative) * scale) / 1e6
      first = Math.min(first, start)
      last = Math.max(last, start + b.ms)
    }
  const durationMs = Number.isFinite(first) ? Math.round(last - first) : 0
  return { durationMs, clean: write(track, scale, clusters, (durationMs * 1e6) / scale) }
}

/** A cluster of known or unknown size: its timecode and the audio track's blocks. */
function readCluster(
  buf: Buffer,
  cluster: EbmlElement,
  trackNumber: number,
  scale: number,
): { cluster: Cluster; end: number } {
  let timecode: number | null = null
  const blocks: Cluster['blocks'] = []
  let pos = cluster.dataStart
  while (pos < cluster.dataEnd) {
    const id = readElement(buf, pos, cluster.dataEnd)
    if (cluster.unknownSize && SEGMENT_CHILDREN.has(id.id)) break
    if (id.unknownSize) fail('unknown size inside a cluster')
    if (id.id === ID.Timecode) timecode = readUint(buf, id)
    else if (id.id === ID.SimpleBlock) {
      const b = readBlock(buf, id)
      if (b.track === trackNumber) blocks.push({ bytes: buf.subarray(id.start, id.dataEnd), ...b })
    } else if (id.id === ID.BlockGroup) {
      const group = childMap(buf, id)
      const block = group.get(ID.Block)
      const b = block ? readBlock(buf, block) : null
      if (block && b?.track === trackNumber) {
        const duration = group.get(ID.BlockDuration)
        // Only the block and its duration: additions and references carry nothing a player needs.
        const bytes = element(
          ID.BlockGroup,
          buf.subarray(block.start, block.dataEnd),
          duration ? buf.subarray(duration.start, duration.dataEnd) : Buffer.alloc(0),
        )
        const ms = duration ? (readUint(buf, duration) * scale) / 1e6 : b.ms
        blocks.push({ bytes, relative: b.relative, ms })
      }
    }
    pos = id.dataEnd
  }
  if (timecode === null) fail('cluster without a timecode')
  return { cluster: { timecode: timecode!, blocks }, end: pos }
}

function write(track: AudioTrack, scale: number, clusters: Cluster[], duration: number): Buffer {
  const ebmlHeader = element(
    ID.EBML,
    uintElement(0x4286, 1), // EBMLVersion
    uintElement(0x42f7, 1), // EBMLReadVersion
    uintElement(0x42f2, 4), // EBMLMaxIDLength
    uintElement(0x42f3, 8), // EBMLMaxSizeLength
    stringElement(ID.DocType, 'webm'),
    uintElement(0x4287, 4), // DocTypeVersion
    uintElement(0x4285, 2), // DocTypeReadVersion
  )
  const info = element(
    ID.Info,
    uintElement(ID.TimecodeScale, scale),
    // Both are mandatory in Matroska; the platform's name instead of the recorder's.
    stringElement(ID.MuxingApp, 'NhipCau'),
    stringElement(ID.WritingApp, 'NhipCau'),
    floatElement(ID.Duration, duration),
  )
  const optional = (id: number, v: number | null) => (v === null ? Buffer.alloc(0) : uintElement(id, v))
  const entry = element(
    ID.TrackEntry,
    uintElement(ID.TrackNumber, track.number),
    // A fresh identifier: the recorder's could link recordings made on one device.
    uintElement(ID.TrackUID, randomInt(1, 2 ** 47)),
    uintElement(ID.TrackType, TRACK_AUDIO),
    stringElement(ID.CodecID, 'A_OPUS'),
    track.codecPrivate ? element(ID.CodecPrivate, track.codecPrivate) : Buffer.alloc(0),
    optional(ID.CodecDelay, track.codecDelay),
    optional(ID.SeekPreRoll, track.seekPreRoll),
    element(
      ID.Audio,
      floatElement(ID.SamplingFrequency, track.samplingFrequency),
      uintElement(ID.Channels, track.channels),
      optional(ID.BitDepth, track.bitDepth),
    ),
  )
  const body = clusters
    .filter((c) => c.blocks.length)
    .map((c) => element(ID.Cluster, uintElement(ID.Timecode, c.timecode), ...c.blocks.map((b) => b.bytes)))
  return Buffer.concat([ebmlHeader, element(ID.Segment, info, element(ID.Tracks, entry), ...body)])
}
