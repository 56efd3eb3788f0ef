# SPDX-License-Identifier: MIT
"""Helpers for mkkiosk: a step runner with progress and logs, chroot mounts,
the host's Debian mirror, and the partitioned, bootable disk image."""

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid


class StepFailed(Exception):
    """A command of the current step failed; the message says which and why."""


class Runner:
    """Runs the numbered build steps, logs every command's output to one file
    and on failure names the step, the command, its status and its last
    output lines."""

    def __init__(self, log_path, total, verbose=False):
        self.log_path = log_path
        self.log = open(log_path, 'a', encoding='utf-8', errors='replace')
        self.total = total
        self.index = 0
        self.title = ''
        self.verbose = verbose
        self.t0 = time.monotonic()
        self.step_t0 = self.t0

    def step(self, title):
        if self.index:
            self._done()
        self.index += 1
        self.title = title
        self.step_t0 = time.monotonic()
        line = f'[{self.index}/{self.total}] {title} ...'
        print(line, flush=True)
        self.log.write(f'\n==== {line}\n')
        self.log.flush()

    def _done(self):
        print(f'      done in {time.monotonic() - self.step_t0:.0f} s', flush=True)

    def finish(self):
        self._done()
        return time.monotonic() - self.t0

    def note(self, text):
        print('      ' + text, flush=True)
        self.log.write(text + '\n')
        self.log.flush()

    def fail(self, why):
        raise StepFailed(f'step {self.index}/{self.total} "{self.title}" failed: {why}')

    def run(self, cmd, env=None, check=True, capture=False, stdin=None, progress=None):
        """Run cmd (a list); its output goes to the log (and is returned when
        capture is set; `progress(line)` may return a progress line to show).
        A non-zero status fails the step."""
        self.log.write('$ ' + ' '.join(shlex.quote(c) for c in cmd) + '\n')
        self.log.flush()
        full_env = dict(os.environ, LC_ALL='C.UTF-8', DEBIAN_FRONTEND='noninteractive')
        full_env.update(env or {})
        try:
            p = subprocess.Popen(cmd, env=full_env, text=True, errors='replace',
                                 stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as e:
            self.fail(f'cannot run {cmd[0]}: {e.strerror}')
        if stdin:
            p.stdin.write(stdin)
            p.stdin.close()
        lines = []
        for line in p.stdout:
            lines.append(line)
            self.log.write(line)
            self.log.flush()
            if self.verbose:
                sys.stdout.write(line)
            elif progress:
                shown = progress(line)
                if shown:
                    print('      ' + shown, flush=True)
        p.wait()
        self.log.flush()
        output = ''.join(lines)
        if check and p.returncode != 0:
            tail = '\n'.join('      | ' + ln for ln in output.rstrip().split('\n')[-15:])
            self.fail(f'`{" ".join(cmd[:6])}{" ..." if len(cmd) > 6 else ""}` exited with '
                      f'status {p.returncode}; last output:\n{tail}\n'
                      f'      full log: {self.log_path}')
        return output if capture else p.returncode


def debootstrap_progress(line):
    """debootstrap's phase lines, not its per-package ones."""
    text = line.strip()[3:] if line.startswith('I: ') else ''
    if re.match(r'(Retrieving|Validating) (Release|InRelease|Packages)|Checking Release|'
                r'Resolving|(Installing|Unpacking|Configuring) (core|required|base|the base) '
                r'(packages|system)|'
                r'Base system', text):
        return text
    if text.startswith('Extracting') and not debootstrap_progress.extracting:
        debootstrap_progress.extracting = True
        return 'Extracting packages...'
    return None


debootstrap_progress.extracting = False


class AptProgress:
    """Condensed apt-get install progress: downloads and configured packages."""

    def __init__(self):
        self.fetched = 0
        self.setup = 0

    def __call__(self, line):
        if line.startswith('Get:'):
            self.fetched += 1
            if self.fetched % 50 == 1:
                return f'downloading ({self.fetched} packages so far)'
        elif line.startswith(('Fetched ', 'Need to get ', 'After this operation')):
            return line.strip()
        elif line.startswith('Setting up '):
            self.setup += 1
            if self.setup % 40 == 1:
                return f'configuring ({self.setup}): {line[11:].split()[0]}'
        elif line.startswith(('update-initramfs:', 'Building initial module')):
            return line.strip()
        return None


def host_mirrors(suite):
    """The Debian archive and security URIs the host's apt uses for `suite`
    (one-line and deb822 formats); default deb.debian.org."""
    main, security = [], []
    files = glob.glob('/etc/apt/sources.list') + sorted(glob.glob('/etc/apt/sources.list.d/*'))
    for path in files:
        try:
            with open(path, encoding='utf-8', errors='replace') as f:
                text = f.read()
        except OSError:
            continue
        for uri, suites in _parse_sources(text, path.endswith('.sources')):
            if not any(s == suite or s.startswith(suite + '-') for s in suites):
                continue
            target = security if any(s.endswith('-security') for s in suites) else main
            if uri.startswith(('http://', 'https://')) and uri not in target:
                target.append(uri.rstrip('/'))
    if not main:
        main = ['http://deb.debian.org/debian']
    if not security:
        security = ['http://deb.debian.org/debian-security']
    return main[0], security[0]


def _parse_sources(text, deb822):
    if not deb822:
        for line in text.split('\n'):
            words = line.split('#', 1)[0].split()
            if len(words) >= 3 and words[0] == 'deb':
                if words[1].startswith('['):  # options
                    while words and not words[0].endswith(']'):
                        words.pop(0)
                    words = ['deb'] + words[1:]
                if len(words) >= 3:
                    yield words[1], [words[2]]
        return
    for stanza in re.split(r'\n\s*\n', text):
        fields = {}
        for line in stanza.split('\n'):
            m = re.match(r'([A-Za-z-]+):\s*(.*)', line)
            if m:
                fields[m.group(1).lower()] = m.group(2).split()
        if 'deb' in fields.get('types', []) and fields.get('enabled', ['yes']) != ['no']:
            for uri in fields.get('uris', []):
                yield uri, fields.get('suites', [])


class Chroot:
    """proc/sys/dev mounts and a bind-mounted apt archive cache for a rootfs;
    unmounted in reverse order by close()."""

    def __init__(self, runner, root, apt_cache):
        self.r = runner
        self.root = root
        self.apt_cache = apt_cache
        self.mounts = []

    def _mount(self, args, target):
        os.makedirs(target, exist_ok=True)
        self.r.run(['mount'] + args + [target])
        self.mounts.append(target)

    def open(self):
        rt = self.root
        self._mount(['-t', 'proc', 'proc'], rt + '/proc')
        self._mount(['-t', 'sysfs', 'sysfs'], rt + '/sys')
        self._mount(['--bind', '/dev'], rt + '/dev')
        self._mount(['-t', 'devpts', '-o', 'newinstance,ptmxmode=0666', 'devpts'],
                    rt + '/dev/pts')
        self._mount(['-t', 'tmpfs', 'tmpfs'], rt + '/run')
        self._mount(['-t', 'tmpfs', 'tmpfs'], rt + '/tmp')
        os.makedirs(self.apt_cache, exist_ok=True)
        self._mount(['--bind', self.apt_cache], rt + '/var/cache/apt/archives')

    def close(self):
        while self.mounts:
            target = self.mounts.pop()
            if subprocess.run(['umount', target], stderr=subprocess.DEVNULL).returncode:
                subprocess.run(['umount', '-l', target], stderr=subprocess.DEVNULL)

    def run(self, cmd, **kw):
        env = {'PATH': '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
               'HOME': '/root'}
        env.update(kw.pop('env', {}) or {})
        return self.r.run(['chroot', self.root] + cmd, env=env, **kw)

    def write(self, path, text, mode=0o644):
        full = self.root + path
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w', encoding='utf-8') as f:
            f.write(text)
        os.chmod(full, mode)


def du_bytes(path):
    total = 0
    for dirpath, dirnames, filenames in os.walk(path):
        for name in filenames + dirnames:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            total += st.st_blocks * 512
    return total


PART_START = 1 << 20  # the partition starts at 1 MiB


def make_disk(runner, root, raw, size_mb, cmdline, mbr_bin):
    """A raw disk: an MBR partition table with one bootable ext4 partition
    populated from `root` (mke2fs -d) and extlinux as the bootloader."""
    fs_uuid = str(uuid.uuid4())
    write_boot_config(root, fs_uuid, cmdline)
    with open(raw, 'wb') as f:
        f.truncate(size_mb << 20)
    runner.run(['sfdisk', '--quiet', raw],
               stdin='label: dos\nstart=2048, type=83, bootable\n')
    part_bytes = (size_mb << 20) - PART_START
    # extlinux 6.04 cannot boot from ext4 with the 64bit feature.
    runner.run(['mkfs.ext4', '-q', '-F', '-L', 'kiosk-root', '-U', fs_uuid,
                '-O', '^64bit,^metadata_csum', '-d', root,
                '-E', f'offset={PART_START}', raw, f'{part_bytes // 1024}k'])
    mnt = raw + '.mnt'
    os.makedirs(mnt, exist_ok=True)
    loop = runner.run(['losetup', '--find', '--show', '--offset', str(PART_START),
                       '--sizelimit', str(part_bytes), raw], capture=True).strip()
    try:
        runner.run(['mount', loop, mnt])
        try:
            runner.run(['extlinux', '--install', mnt + '/boot/extlinux'])
        finally:
            runner.run(['umount', mnt], check=False)
    finally:
        runner.run(['losetup', '-d', loop], check=False)
        os.rmdir(mnt)
    runner.run(['dd', f'if={mbr_bin}', f'of={raw}', 'bs=440', 'count=1', 'conv=notrunc'])
    return fs_uuid


def write_boot_config(root, fs_uuid, cmdline):
    """extlinux.conf booting Debian's /vmlinuz and /initrd.img symlinks (kept
    current by the kernel packages, so kernel upgrades need no bootloader
    change) and the fstab for the root partition."""
    os.makedirs(root + '/boot/extlinux', exist_ok=True)
    with open(root + '/boot/extlinux/extlinux.conf', 'w') as f:
        f.write('# written by mkkiosk\nDEFAULT kiosk\nPROMPT 0\nTIMEOUT 0\n\n'
                'LABEL kiosk\n  LINUX /vmlinuz\n  INITRD /initrd.img\n'
                f'  APPEND root=UUID={fs_uuid} ro {cmdline}\n')
    with open(root + '/etc/fstab', 'w') as f:
        f.write(f'UUID={fs_uuid} / ext4 errors=remount-ro,noatime 0 1\n')


def which(names):
    return [n for n in names if shutil.which(n) is None]
