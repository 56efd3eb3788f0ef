# SPDX-License-Identifier: MIT
"""Helpers for run-guest: kernel lookup, initramfs, QMP, PNG."""

import glob
import gzip
import hashlib
import json
import os
import re
import socket
import stat
import struct
import zlib

# Modules the first stage needs, in load order (dependencies are added).
INITRD_MODULES = ['virtio_pci', '9pnet_virtio', '9p', 'overlay']


def _version_key(path):
    return [int(x) if x.isdigit() else x for x in re.split(r'(\d+)', path)]


def find_kernel(kernel=None):
    """Return (vmlinuz, /lib/modules/<version>) for the newest Debian kernel."""
    if kernel is None:
        cands = [k for k in glob.glob('/boot/vmlinuz-*')
                 if os.path.isdir('/lib/modules/' + os.path.basename(k)[8:])]
        if not cands:
            raise SystemExit('run-guest: no kernel in /boot with modules in /lib/modules '
                             '(apt-get install linux-image-amd64)')
        kernel = sorted(cands, key=_version_key)[-1]
    if not os.access(kernel, os.R_OK):
        raise SystemExit(f'run-guest: cannot read kernel {kernel}')
    version = os.path.basename(kernel)[len('vmlinuz-'):]
    modroot = '/lib/modules/' + version
    if not os.path.isfile(modroot + '/modules.dep'):
        raise SystemExit(f'run-guest: no modules.dep in {modroot}')
    return kernel, modroot


def _module_order(modroot, names):
    deps = {}
    with open(modroot + '/modules.dep') as f:
        for line in f:
            path, _, rest = line.partition(':')
            deps[path] = rest.split()
    byname = {}
    for path in deps:
        base = os.path.basename(path).split('.ko')[0]
        byname[base.replace('-', '_')] = path
    order = []

    def visit(path):
        for d in deps[path]:
            visit(d)
        if path not in order:
            order.append(path)

    for n in names:
        path = byname.get(n)
        if path is None:
            continue  # built in
        visit(path)
    return order


class Cpio:
    """A minimal newc cpio writer."""

    def __init__(self):
        self.data = bytearray()
        self.ino = 1

    def _entry(self, name, mode, body=b''):
        hdr = '070701' + ''.join('%08x' % v for v in (
            self.ino, mode, 0, 0, 1, 0, len(body), 0, 0, 0, 0, len(name) + 1, 0))
        self.ino += 1
        self.data += hdr.encode() + name.encode() + b'\0'
        self.data += b'\0' * (-len(self.data) % 4)
        self.data += body
        self.data += b'\0' * (-len(self.data) % 4)

    def dir(self, name):
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name, body, mode=0o644):
        self._entry(name, stat.S_IFREG | mode, body)

    def link(self, name, target):
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def finish(self):
        self._entry('TRAILER!!!', 0)
        return bytes(self.data)


def build_initramfs(kernel, modroot, here):
    """Build (or reuse from the cache) the first-stage initramfs."""
    busybox = '/bin/busybox'
    if not os.path.isfile(busybox):
        raise SystemExit('run-guest: /bin/busybox missing (apt-get install busybox-static)')
    mods = _module_order(modroot, INITRD_MODULES)
    with open(os.path.join(here, 'stage1.sh'), 'rb') as f:
        init = f.read()
    with open(os.path.join(here, 'stage2.sh'), 'rb') as f:
        stage2 = f.read()
    h = hashlib.sha256(init + stage2 + kernel.encode() + '\n'.join(mods).encode())
    h.update(str(os.stat(busybox).st_mtime).encode())
    cache = os.path.join(os.environ.get('XDG_CACHE_HOME', os.path.expanduser('~/.cache')),
                         'guestwl')
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, 'initramfs-%s.cpio.gz' % h.hexdigest()[:16])
    if os.path.isfile(path):
        return path
    c = Cpio()
    for d in ('bin', 'dev', 'proc', 'sys', 'lower', 'upper', 'newroot', 'mods'):
        c.dir(d)
    with open(busybox, 'rb') as f:
        c.file('bin/busybox', f.read(), 0o755)
    c.link('bin/sh', 'busybox')
    c.file('init', init, 0o755)
    c.file('stage2.sh', stage2, 0o755)
    order = []
    for i, m in enumerate(mods):
        name = '%02d-%s' % (i, os.path.basename(m))
        with open(os.path.join(modroot, m), 'rb') as f:
            body = f.read()
        if name.endswith('.xz') or name.endswith('.zst'):
            raise SystemExit(f'run-guest: compressed module {m} is not supported')
        c.file('mods/' + name, body)
        order.append(name)
    tmp = path + '.tmp%d' % os.getpid()
    with gzip.open(tmp, 'wb', compresslevel=1) as f:
        f.write(c.finish())
    os.replace(tmp, path)
    return path


class Qmp:
    """A synchronous QMP client (one command at a time)."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b''
        self._read()  # greeting
        self.command('qmp_capabilities')

    def _read(self):
        while True:
            while b'\n' in self.buf:
                line, self.buf = self.buf.split(b'\n', 1)
                if line.strip():
                    msg = json.loads(line)
                    if 'event' not in msg:
                        return msg
            data = self.sock.recv(65536)
            if not data:
                raise RuntimeError('QMP connection closed')
            self.buf += data

    def command_json(self, text):
        try:
            req = json.loads(text)
        except ValueError as e:
            raise ValueError(f'bad QMP JSON: {e}')
        if not isinstance(req, dict) or 'execute' not in req:
            raise ValueError('QMP request needs "execute"')
        self.sock.sendall(json.dumps(req).encode() + b'\n')
        return self._read()

    def command(self, name, **arguments):
        req = {'execute': name}
        if arguments:
            req['arguments'] = arguments
        reply = self.command_json(json.dumps(req))
        if 'error' in reply:
            raise RuntimeError(f'QMP {name}: {reply["error"].get("desc")}')
        return reply.get('return')


def read_ppm(path):
    with open(path, 'rb') as f:
        data = f.read()
    m = re.match(rb'P6\s+(\d+)\s+(\d+)\s+(\d+)\s', data)
    if not m or m.group(3) != b'255':
        raise RuntimeError('unexpected screendump format')
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h * 3]


def write_png(path, w, h, rgb):
    """Write 8-bit RGB pixels as a PNG (no dependencies)."""
    def chunk(kind, body):
        return (struct.pack('>I', len(body)) + kind + body +
                struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff))
    stride = w * 3
    raw = b''.join(b'\0' + rgb[y * stride:(y + 1) * stride] for y in range(h))
    png = (b'\x89PNG\r\n\x1a\n' +
           chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
           chunk(b'IDAT', zlib.compress(raw, 6)) + chunk(b'IEND', b''))
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(png)
    os.replace(tmp, path)


def screendump(qmp, png_path, workdir):
    """Take a QMP screendump of the primary console and save it as PNG."""
    ppm = os.path.join(workdir, 'screendump.ppm')
    qmp.command('screendump', filename=ppm)
    w, h, rgb = read_ppm(ppm)
    os.unlink(ppm)
    write_png(png_path, w, h, rgb)
    return w, h


# guestwl's background colour, and how far a screendump pixel may be off it
GUESTWL_BACKGROUND = (0x30, 0x30, 0x40)
BACKGROUND_TOL = 8


def count_not_background(path):
    """(pixels off guestwl's background, width, height) of a screendump PNG."""
    w, h, ch, px = read_png(path)
    bg = GUESTWL_BACKGROUND
    n = 0
    for i in range(0, w * h * ch, ch):
        if any(abs(px[i + k] - bg[k]) > BACKGROUND_TOL for k in range(3)):
            n += 1
    return n, w, h


def read_png(path):
    """Decode an 8-bit, non-interlaced RGB/RGBA/grey PNG: (w, h, channels, bytes)."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError(f'{path}: not a PNG')
    pos, idat, hdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            hdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    chans = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or chans is None or interlace:
        raise ValueError(f'{path}: unsupported PNG layout')
    raw = zlib.decompress(idat)
    stride = w * chans
    out = bytearray(h * stride)
    prev = bytearray(stride)
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        _unfilter(ft, line, prev, chans)
        out[y * stride:(y + 1) * stride] = line
        prev = line
    return w, h, chans, bytes(out)


def _unfilter(ft, line, prev, bpp):
    if ft == 0:
        return
    for i in range(len(line)):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if ft == 1:
            pred = a
        elif ft == 2:
            pred = b
        elif ft == 3:
            pred = (a + b) // 2
        elif ft == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        else:
            raise ValueError('bad PNG filter')
        line[i] = (line[i] + pred) & 255
