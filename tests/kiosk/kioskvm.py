# SPDX-License-Identifier: MIT
"""Boot a kiosk disk image under TCG and watch it: the serial console (a root
shell in images built with mkkiosk --serial-shell), QMP screendumps, and the
time from QEMU's start to the app's first frame on the screen."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, 'tests', 'guest'))

import guestlib  # noqa: E402



def _terminate(signum, frame):
    """A runner's SIGTERM unwinds through the callers' `finally: vm.stop()`,
    so QEMU (in its own session) does not outlive the test."""
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _terminate)
signal.signal(signal.SIGHUP, _terminate)

class BootFailed(Exception):
    pass


class KioskVM:
    """One QEMU booting a disk image (the image stays unmodified: snapshot=on)."""

    def __init__(self, image, device='VGA', res=(1024, 768), mem=1024, smp=2,
                 log=None):
        self.image = image
        self.device = device
        self.res = res
        self.mem = mem
        self.smp = smp
        self.workdir = tempfile.mkdtemp(prefix='kioskvm.')
        self.console = bytearray()
        self.cond = threading.Condition()
        self.proc = None
        self.qmp = None
        self.t0 = None
        self.log = open(log, 'wb') if log else None
        self.seq = 0
        self.con = None

    def command_line(self):
        w, h = self.res
        dev = (['-device', 'cirrus-vga'] if self.device == 'cirrus-vga' else
               ['-device', f'{self.device},xres={w},yres={h},edid=on'])
        return ['qemu-system-x86_64', '-nodefaults', '-no-user-config', '-no-reboot',
                '-machine', 'pc', '-accel', 'tcg,thread=multi', '-cpu', 'max',
                '-smp', str(self.smp), '-m', str(self.mem),
                '-drive', f'file={self.image},format=qcow2,snapshot=on',
                '-chardev', f'socket,id=con,path={self.workdir}/con.sock,server=on,wait=on',
                '-serial', 'chardev:con',
                '-qmp', f'unix:{self.workdir}/qmp.sock,server=on,wait=off',
                '-display', 'none'] + dev

    def start(self):
        if not os.path.isfile(self.image):
            raise BootFailed(f'no image {self.image}')
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(self.command_line(), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=True)
        self.con = self._connect('con.sock')
        threading.Thread(target=self._pump, args=(self.con,), daemon=True).start()
        self.qmp = guestlib.Qmp(self._connect('qmp.sock'))

    def _connect(self, name):
        path = os.path.join(self.workdir, name)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise BootFailed('QEMU exited at start-up: ' +
                                 self.proc.stderr.read().decode(errors='replace'))
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                return s
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
                if time.monotonic() > deadline:
                    raise BootFailed(f'QEMU did not open {name}')
                time.sleep(0.02)

    def _pump(self, sock):
        while True:
            data = sock.recv(65536)
            with self.cond:
                if not data:
                    self.cond.notify_all()
                    return
                self.console += data
                self.cond.notify_all()
            if self.log:
                self.log.write(data)
                self.log.flush()

    def elapsed(self):
        return time.monotonic() - self.t0

    def wait_console(self, pattern, timeout, start=0):
        """Wait until `pattern` (bytes regex) appears in the console after
        offset `start`; return the match."""
        rx = re.compile(pattern, re.S)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = rx.search(self.console, start)
                if m:
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    tail = self.console[-800:].decode(errors='replace')
                    raise BootFailed(f'console: no {pattern!r} after {timeout} s; '
                                     f'last output:\n{tail}')
                self.cond.wait(min(left, 1.0))

    def wait_shell(self, timeout=900):
        """Wait for the serial root shell (mkkiosk --serial-shell)."""
        self.wait_console(rb'root@[^\s:]+:[^\n]*# ', timeout)
        self.sh('stty -echo; export PAGER=cat SYSTEMD_PAGER= TERM=dumb', timeout=30,
                subshell=False)

    def sh(self, cmd, timeout=60, subshell=True):
        """Run one shell command on the serial console: (status, output).
        It runs in a subshell (so `exit` ends only the command)."""
        if subshell:
            cmd = f'( {cmd} )'
        self.seq += 1
        tag = f'{os.getpid()}x{self.seq}'
        with self.cond:
            start = len(self.console)
        line = f'echo @@B{tag}@@; {cmd}; echo @@E{tag} $?@@\n'
        self._send(line.encode())
        # The echoed command has "@@B<tag>@@;": only the output ends the line.
        m = self.wait_console(rb'@@B' + tag.encode() + rb'@@\r?\n(.*?)@@E' +
                              tag.encode() + rb' (\d+)@@', timeout, start)
        out = m.group(1).decode(errors='replace').replace('\r', '')
        return int(m.group(2)), out

    def _send(self, data):
        self.con.sendall(data)  # _pump reads the same socket in its thread

    def screen(self):
        """The current screen as (width, height, rgb bytes)."""
        ppm = os.path.join(self.workdir, 'shot.ppm')
        self.qmp.command('screendump', filename=ppm)
        w, h, rgb = guestlib.read_ppm(ppm)
        os.unlink(ppm)
        return w, h, rgb

    def save_screen(self, png):
        guestlib.screendump(self.qmp, png, self.workdir)

    def wait_screen(self, predicate, timeout, interval=0.25):
        """Poll screendumps until predicate(w, h, rgb) is true; return the
        seconds since QEMU started when it first was, and the screen."""
        deadline = time.monotonic() + timeout
        while True:
            t = self.elapsed()
            shot = self.screen()
            if predicate(*shot):
                return t, shot
            if time.monotonic() > deadline or self.proc.poll() is not None:
                tail = self.console[-800:].decode(errors='replace')
                raise BootFailed(f'screen: condition not met after {timeout} s; '
                                 f'console tail:\n{tail}')
            time.sleep(interval)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)
        if self.log:
            self.log.close()


def colorful_box(w, h, rgb, min_chroma=48):
    """Count and bounding box of saturated pixels (apps paint colour; the
    text console, the boot screen and an empty compositor do not)."""
    count, x0, y0, x1, y1 = 0, w, h, -1, -1
    step = 2  # every other pixel in both directions is plenty
    for y in range(0, h, step):
        row = rgb[y * w * 3:(y + 1) * w * 3]
        for x in range(0, w, step):
            r, g, b = row[x * 3], row[x * 3 + 1], row[x * 3 + 2]
            if max(r, g, b) - min(r, g, b) >= min_chroma:
                count += 1
                x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
    return count * step * step, (x0, y0, x1 + step, y1 + step)


def app_on_screen(w, h, rgb, min_side=200):
    """weston-simple-shm (the default app) paints a 250x250 colour pattern."""
    count, (x0, y0, x1, y1) = colorful_box(w, h, rgb)
    return count >= min_side * min_side // 3 and x1 - x0 >= min_side and y1 - y0 >= min_side
