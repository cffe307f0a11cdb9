/**
 * Reads a submission's `.zip` file without trusting it (yauzl: the central directory, no scanning
 * for local headers, entry sizes checked as they are unpacked). The archive is refused whole, with
 * a ZipRefusal that says why, when:
 * - it is not a zip yauzl can read (damaged, truncated, strongly encrypted, not a zip at all);
 * - it holds more than `limits.entries` entries (counted before any is read);
 * - its entries would unpack to more than `limits.totalBytes` in all (their declared sizes, which
 *   yauzl holds each entry to as it is unpacked);
 * - an entry at least `limits.ratioFloorBytes` large would unpack to more than `limits.ratio` times
 *   its packed size (a zip bomb's signature; text packs about 3 to 10 times);
 * - an entry's name is an absolute path (`/etc/x`, `C:/x`, `\\server\x`) or has a `..` segment, with
 *   `/` or `\` between segments (some Windows tools write `\`), or holds a NUL.
 * Nothing is written here: an entry is unpacked into memory, at most its declared size, and only
 * when asked for (`read`). Links, folders and devices are told apart by the entry's Unix mode.
 */
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';

export class ZipRefusal extends Error {
  override name = 'ZipRefusal';
}

export interface ZipLimits {
  /** Entries in the archive's central directory. */
  entries: number;
  /** Declared unpacked sizes of all entries together, in bytes. */
  totalBytes: number;
  /** Unpacked size over packed size, for entries of at least ratioFloorBytes. */
  ratio: number;
  ratioFloorBytes: number;
}

export type ZipEntryKind = 'file' | 'folder' | 'link' | 'special';

export interface ZipEntryInfo {
  /** The entry's path: segments between `/`, without empty or `.` segments. */
  path: string;
  kind: ZipEntryKind;
  /** Declared unpacked size, in bytes. */
  size: number;
  /** Encrypted (traditional zip encryption), which the grader does not read. */
  encrypted: boolean;
  /** Compressed with a method other than store (0) or deflate (8). */
  unsupportedMethod: number | null;
  entry: yauzl.Entry;
}

export interface OpenedZip {
  entries: ZipEntryInfo[];
  /** The entry's bytes, checked against its declared size and CRC-32. */
  read(entry: ZipEntryInfo): Promise<Buffer>;
  close(): void;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** "Version made by" hosts whose external attributes hold a Unix mode: Unix (3) and macOS (19). */
const UNIX_HOSTS = new Set([3, 19]);

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
const quoted = (name: string): string => JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);

/** The entry's path with `/` between segments, or why its name is refused. */
export function entryPath(name: string): { path: string } | { problem: string } {
  if (name.includes('\0')) return { problem: `an entry's name holds a NUL character (${quoted(name)})` };
  if (/^[A-Za-z]:/.test(name)) return { problem: `the entry ${quoted(name)} starts with a drive letter (an absolute path)` };
  if (/^[/\\]/.test(name)) return { problem: `the entry ${quoted(name)} is an absolute path` };
  const segments = name.split(/[/\\]/);
  if (segments.includes('..')) return { problem: `the entry ${quoted(name)} leads out of the archive (a ".." in its path)` };
  return { path: segments.filter((segment) => segment !== '' && segment !== '.').join('/') };
}

function kindOf(entry: yauzl.Entry, name: string): ZipEntryKind {
  const mode = UNIX_HOSTS.has(entry.versionMadeBy >> 8) ? (entry.externalFileAttributes >>> 16) & S_IFMT : 0;
  if (mode === S_IFLNK) return 'link';
  if (mode === S_IFDIR || /[/\\]$/.test(name)) return 'folder';
  if (mode === 0 || mode === S_IFREG) return 'file';
  return 'special';
}

/** Opens `file` and lists its entries, or throws a ZipRefusal saying why the archive is refused. */
export async function openZip(file: string, limits: ZipLimits): Promise<OpenedZip> {
  let zipfile: yauzl.ZipFile;
  try {
    // decodeStrings: false, so that a bad name is refused with this module's message, naming the entry.
    zipfile = await yauzl.openPromise(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
  } catch (error) {
    throw new ZipRefusal(`it is not a zip file the grader can read (${(error as Error).message})`);
  }
  const close = (): void => {
    if (zipfile.isOpen) zipfile.close();
  };
  try {
    if (zipfile.entryCount > limits.entries) {
      throw new ZipRefusal(`it holds ${zipfile.entryCount} entries; the limit is ${limits.entries} (limits.zipEntries in the rubric)`);
    }
    const entries: ZipEntryInfo[] = [];
    let totalBytes = 0;
    try {
      for await (const entry of zipfile.eachEntry()) entries.push(checkedEntry(entry, limits, (totalBytes += entry.uncompressedSize)));
    } catch (error) {
      if (error instanceof ZipRefusal) throw error;
      throw new ZipRefusal(`it is not a zip file the grader can read (${(error as Error).message})`);
    }
    return { entries, read: (entry) => readEntry(zipfile, entry), close };
  } catch (error) {
    close();
    throw error;
  }
}

function checkedEntry(entry: yauzl.Entry, limits: ZipLimits, totalSoFar: number): ZipEntryInfo {
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  const checked = entryPath(name);
  if ('problem' in checked) throw new ZipRefusal(checked.problem);
  if (totalSoFar > limits.totalBytes) {
    throw new ZipRefusal(`its entries would unpack to more than ${mib(limits.totalBytes)}, the limit (limits.zipMiB in the rubric)`);
  }
  const size = entry.uncompressedSize;
  if (size >= limits.ratioFloorBytes && size > limits.ratio * Math.max(1, entry.compressedSize)) {
    const times = Math.floor(size / Math.max(1, entry.compressedSize));
    throw new ZipRefusal(
      `the entry ${quoted(checked.path)} would unpack to ${times} times its packed size (${mib(size)}); ` +
        `the limit is ${limits.ratio} times (limits.zipRatio in the rubric)`,
    );
  }
  const method = entry.compressionMethod;
  return {
    path: checked.path,
    kind: kindOf(entry, name),
    size,
    encrypted: entry.isEncrypted(),
    unsupportedMethod: method === 0 || method === 8 ? null : method,
    entry,
  };
}

async function readEntry(zipfile: yauzl.ZipFile, info: ZipEntryInfo): Promise<Buffer> {
  const stream = await zipfile.openReadStreamPromise(info.entry);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    // yauzl stops an entry that unpacks past its declared size; this holds even if it did not.
    if (bytes > info.size) {
      stream.destroy();
      throw new Error(`it unpacks to more than its declared ${info.size} bytes`);
    }
    chunks.push(chunk);
  }
  const data = Buffer.concat(chunks, bytes);
  if (crc32(data) !== info.entry.crc32) throw new Error('its checksum (CRC-32) does not match its contents');
  return data;
}
