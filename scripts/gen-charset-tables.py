#!/usr/bin/env python3
"""Generates Libraries/BinlogReplication/Decoding/CharsetTables.swift from a running MariaDB.

cdc decodes column bytes itself (the binlog holds them raw), and must turn them into the same text the
server shows. This asks the server how it converts every byte of each single-byte character set and
every one- to three-byte sequence of the multibyte ones, and writes:
  - the collation id -> character set table (the server's, plus MySQL 8.0's ids MariaDB lacks),
  - a 256-entry table per single-byte character set (exactly the server's mapping),
  - per multibyte character set decoded with glibc iconv, the scalars where iconv and the server
    disagree (iconv's scalar -> the server's), after checking that each such replacement is unambiguous.
It prints, per multibyte character set, how many sequences agree and what remains different.

Usage: scripts/gen-charset-tables.py --socket /path/to/mysqld.sock [--user root]
"""
import argparse, ctypes, subprocess, sys

SINGLE_BYTE = ["armscii8", "ascii", "cp1250", "cp1251", "cp1256", "cp1257", "cp850", "cp852", "cp866", "dec8",
               "geostd8", "greek", "hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "latin1", "latin2", "latin5",
               "latin7", "macce", "macroman", "swe7", "tis620"]
# The glibc iconv name for each multibyte character set: the one that agrees with the server most.
ICONV = {"big5": "BIG5", "cp932": "CP932", "eucjpms": "EUC-JP-MS", "euckr": "CP949", "gb2312": "EUC-CN",
         "gbk": "GBK", "sjis": "SHIFT_JIS", "ujis": "EUC-JP"}
# MySQL 8.0 collation ids that MariaDB does not have (MySQL's information_schema.COLLATIONS).
MYSQL_ONLY = [(76, 76, "utf8mb3"), (248, 250, "gb18030"), (255, 323, "utf8mb4")]

libc = ctypes.CDLL("libc.so.6", use_errno=True)
libc.iconv_open.restype = ctypes.c_void_p
libc.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.iconv.restype = ctypes.c_size_t
libc.iconv.argtypes = [ctypes.c_void_p] + [ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_size_t)] * 2


def iconv_decode(name, data):
    """The one character glibc's iconv makes of `data`, or None."""
    cd = libc.iconv_open(b"UTF-8", name.encode())
    source = ctypes.create_string_buffer(data, len(data))
    target = ctypes.create_string_buffer(64)
    sp, tp = ctypes.c_char_p(ctypes.addressof(source)), ctypes.c_char_p(ctypes.addressof(target))
    sl, tl = ctypes.c_size_t(len(data)), ctypes.c_size_t(64)
    result = libc.iconv(ctypes.c_void_p(cd), ctypes.byref(sp), ctypes.byref(sl), ctypes.byref(tp), ctypes.byref(tl))
    libc.iconv_close(ctypes.c_void_p(cd))
    if result == ctypes.c_size_t(-1).value or sl.value:
        return None
    text = target.raw[:64 - tl.value].decode()
    return text if len(text) == 1 else None


class Server:
    def __init__(self, socket, user):
        self.command = ["mariadb", "--no-defaults", "-S", socket, "-u", user, "-N", "-B"]

    def query(self, sql):
        result = subprocess.run(self.command + ["-e", sql], capture_output=True, text=True, check=True)
        return [line.split("\t") for line in result.stdout.splitlines()]

    def characters(self, charset, sequences):
        """The one character the server makes of each sequence, or None where it has none."""
        out = []
        for start in range(0, len(sequences), 1500):
            chunk = sequences[start:start + 1500]
            row = self.query("SELECT " + ",".join(
                f"HEX(CONVERT(CONVERT(X'{s.hex()}' USING {charset}) USING utf8mb4))" for s in chunk))[0]
            for sequence, text in zip(chunk, row):
                text = bytes.fromhex(text).decode()
                valid = len(text) == 1 and (text != "?" or sequence == b"?") and text != "\ufffd"
                out.append(text if valid else None)
        return out


def multibyte_sequences(charset):
    sequences = [bytes([b]) for b in range(256)] + [bytes([a, b]) for a in range(0x81, 0xFF) for b in range(0x40, 0xFF)]
    if charset in ("ujis", "eucjpms"):
        sequences += [bytes([0x8F, a, b]) for a in range(0xA1, 0xFF) for b in range(0xA1, 0xFF)]
    return sequences


def swift_string(characters):
    out = []
    for c in characters:
        if c is None:
            out.append("\\u{FFFF}")
        elif c in '"\\' or ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or ord(c) in (0xAD, 0xA0) or c.isspace():
            out.append("\\u{%X}" % ord(c))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def main():
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--socket", required=True)
    arguments.add_argument("--user", default="root")
    arguments.add_argument("--output", default="Libraries/BinlogReplication/Decoding/CharsetTables.swift")
    options = arguments.parse_args()
    server = Server(options.socket, options.user)
    version = server.query("SELECT VERSION()")[0][0]

    ids = {int(i): cs for i, cs in server.query(
        "SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY WHERE ID < 1024")}
    for low, high, charset in MYSQL_ONLY:
        for i in range(low, high + 1):
            assert ids.setdefault(i, charset) == charset, f"collation {i} differs between MySQL and MariaDB"
    runs = []
    for i in sorted(ids):
        if runs and runs[-1][2] == ids[i] and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i, ids[i]])

    tables = {cs: server.characters(cs, [bytes([b]) for b in range(256)]) for cs in SINGLE_BYTE}

    fixups = {}
    for charset, name in ICONV.items():
        sequences = multibyte_sequences(charset)
        theirs = server.characters(charset, sequences)
        mine = [iconv_decode(name, s) for s in sequences]
        agree = sum(1 for a, b in zip(theirs, mine) if a is not None and a == b)
        different = {b: a for a, b in zip(theirs, mine) if a is not None and b is not None and a != b}
        # A replacement is unambiguous only if no sequence that agrees yields iconv's scalar.
        produced = {b for a, b in zip(theirs, mine) if a is not None and a == b}
        assert not produced & set(different), f"{charset}: ambiguous replacement"
        server_only = sum(1 for a, b in zip(theirs, mine) if a is not None and b is None)
        iconv_only = sum(1 for a, b in zip(theirs, mine) if a is None and b is not None)
        fixups[charset] = different
        print(f"{charset:8} iconv {name:10} agree {agree:6}  replaced {len(different):4}  "
              f"server only {server_only:5}  iconv only {iconv_only:5}", file=sys.stderr)

    lines = [f"// Generated by scripts/gen-charset-tables.py from MariaDB {version}; do not edit by hand.", "",
             "extension MySQLCharset {",
             "    /// Collation ids below 1024 and their character sets (MariaDB's and MySQL 8.0's).",
             "    static let collationRanges: [(ids: ClosedRange<Int>, charset: String)] = ["]
    lines += [f'        ({low}...{high}, "{charset}"),' for low, high, charset in runs]
    lines += ["    ]", "",
              "    /// Each single-byte character set's 256 characters as the server converts them to Unicode;",
              "    /// U+FFFF marks a byte the server has no character for.",
              "    static let singleByteTables: [String: String] = ["]
    lines += [f'        "{cs}": {swift_string(tables[cs])},' for cs in SINGLE_BYTE]
    lines += ["    ]", "",
              "    /// The glibc iconv converter for each multibyte character set (the one closest to the server's).",
              "    static let iconvNames: [String: String] = ["]
    lines += [f'        "{cs}": "{name}",' for cs, name in ICONV.items()]
    lines += ["    ]", "",
              "    /// Where iconv decodes a character differently from the server: iconv's scalar -> the server's.",
              "    static let iconvReplacements: [String: [UInt32: UInt32]] = ["]
    for charset, different in fixups.items():
        if different:
            pairs = ", ".join(f"0x{ord(b):X}: 0x{ord(a):X}" for b, a in sorted(different.items()))
            lines.append(f'        "{charset}": [{pairs}],')
    lines += ["    ]", "}", ""]
    with open(options.output, "w") as out:
        out.write("\n".join(lines))
    print(f"wrote {options.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
