/**
 * Writes zip files byte by byte (PKWARE APPNOTE: local headers, central directory, end record),
 * with nothing checked: any name, a link's or a folder's Unix mode, the encryption flag, packed
 * bytes reused across entries. The tests make honest archives with it as well as hostile ones.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface CraftedEntry {
  /** The name exactly as the archive holds it (UTF-8, flagged as such): `../x`, `/etc/x` and `C:\x` included. */
  name: string;
  /** The unpacked bytes (none by default). */
  data?: Buffer;
  /** Deflate (the default) or store. */
  method?: 'deflate' | 'store';
  /** Unix mode, type included: 0o100644 by default, 0o120777 for a link (data is its target), 0o040755 for a folder. */
  mode?: number;
  /** Sets the traditional-encryption flag (the bytes are not encrypted: a reader must refuse before reading them). */
  encrypted?: boolean;
}

const UTF8_NAMES = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 20;

/** Packed bytes and CRC per data buffer, so that one buffer in many entries is deflated once. */
const packedCache = new WeakMap<Buffer, { deflated: Buffer; crc: number }>();

function packed(data: Buffer): { deflated: Buffer; crc: number } {
  let known = packedCache.get(data);
  if (!known) {
    known = { deflated: deflateRawSync(data, { level: 9 }), crc: crc32(data) };
    packedCache.set(data, known);
  }
  return known;
}

interface CommonFields {
  flags: number;
  method: number;
  crc: number;
  packedSize: number;
  size: number;
  nameLength: number;
}

/** The 26 bytes a local header and a central directory entry share, written at `at`; the time is 00:00:00, 1980-01-01. */
function writeCommonFields(header: Buffer, at: number, f: CommonFields): void {
  header.writeUInt16LE(20, at); // version needed to extract: 2.0
  header.writeUInt16LE(f.flags, at + 2);
  header.writeUInt16LE(f.method, at + 4);
  header.writeUInt16LE((0 << 9) | (1 << 5) | 1, at + 8);
  header.writeUInt32LE(f.crc, at + 10);
  header.writeUInt32LE(f.packedSize, at + 14);
  header.writeUInt32LE(f.size, at + 18);
  header.writeUInt16LE(f.nameLength, at + 22);
}

export function craftZip(entries: readonly CraftedEntry[]): Buffer {
  const chunks: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0);
    const name = Buffer.from(entry.name, 'utf8');
    const { deflated, crc } = packed(data);
    const store = entry.method === 'store';
    const body = store ? data : deflated;
    const flags = UTF8_NAMES | (entry.encrypted ? 1 : 0);
    const method = store ? 0 : 8;

    // The fields both headers hold, from "version needed" to the name's length.
    const fields = { flags, method, crc, packedSize: body.length, size: data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeCommonFields(local, 4, fields);
    chunks.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    writeCommonFields(central, 6, fields);
    central.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    directory.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const centralBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, centralBytes, end]);
}
