#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Sum up tests/bench/frame-profile.sh's trace: where one task's time on a
CPU went, per system call (DRM ioctls by name) and outside them, per frame
(a frame: one call of FRAME-CALL, default one atomic commit; weston checks
each frame with a TEST_ONLY commit first, so count its frames by 'read', the
page-flip event), and what switched it in.

  frame-profile-summary.py TRACE PID [FRAME-CALL]
"""
import collections
import re
import sys

SYSCALLS = {0: 'read', 1: 'write', 3: 'close', 7: 'poll', 9: 'mmap', 11: 'munmap',
            16: 'ioctl', 20: 'writev', 46: 'sendmsg', 47: 'recvmsg', 72: 'fcntl',
            202: 'futex', 228: 'clock_gettime', 232: 'epoll_wait', 281: 'epoll_pwait',
            286: 'timerfd_settime', 441: 'epoll_pwait2'}
IOCTLS = {0xc03864bc: 'ATOMIC', 0xc01064bd: 'CREATEPROPBLOB', 0xc00464be: 'DESTROYPROPBLOB'}
LINE = re.compile(r'^\s*(\S+)-(\d+)\s+\[\d+\]\s+\S+\s+([\d.]+): (\w+): (.*)$')


def main():
    if len(sys.argv) not in (3, 4) or not sys.argv[2].isdigit():
        print(__doc__.strip(), file=sys.stderr)
        return 2
    pid = int(sys.argv[2])
    try:
        lines = open(sys.argv[1], encoding='utf-8', errors='replace').readlines()
    except OSError as e:
        print(f'frame-profile-summary: {e}', file=sys.stderr)
        return 2
    spent = collections.Counter()
    calls = collections.Counter()
    switched_in = collections.Counter()
    on_cpu, call, last, first = False, None, None, None
    for line in lines:
        m = LINE.match(line)
        if not m:
            continue
        ts, event, rest = float(m.group(3)), m.group(4), m.group(5)
        first = ts if first is None else first
        if on_cpu and last is not None:
            spent[call or 'outside system calls'] += ts - last
        last = ts
        if event == 'sched_switch':
            nxt = re.search(r'next_pid=(\d+)', rest)
            prev = re.search(r'prev_comm=(\S+) prev_pid=(\d+)', rest)
            if nxt and int(nxt.group(1)) == pid:
                on_cpu = True
                switched_in[prev.group(1) if prev else '?'] += 1
            elif prev and int(prev.group(2)) == pid:
                on_cpu = False
        elif event == 'sys_enter':
            on_cpu = True
            a = re.match(r'NR (\d+) \(([0-9a-f]+), ([0-9a-f]+)', rest)
            if not a:
                continue
            nr = int(a.group(1))
            call = SYSCALLS.get(nr, f'syscall {nr}')
            if nr == 16:
                cmd = int(a.group(3), 16)
                call = 'ioctl ' + IOCTLS.get(cmd, hex(cmd))
            calls[call] += 1
        elif event == 'sys_exit':
            on_cpu, call = True, None
    per = sys.argv[3] if len(sys.argv) == 4 else 'ioctl ATOMIC'
    frames = calls.get(per, 0)
    if last is None or frames == 0:
        print(f'frame-profile-summary: no events of that pid, or no {per!r} call',
              file=sys.stderr)
        return 1
    total = sum(spent.values())
    print(f'{last - first:.3f} s traced, {frames} frames ({per}), '
          f'{total * 1e3:.1f} ms on a CPU = {total * 1e6 / frames:.0f} us a frame')
    for name, secs in spent.most_common():
        n = calls.get(name, 0)
        print(f'  {name:<28}{secs * 1e6 / frames:8.0f} us a frame' +
              (f'  ({n / frames:.2f} calls a frame)' if n else ''))
    print('switched in from (per frame): ' + ', '.join(
        f'{comm} {n / frames:.2f}' for comm, n in switched_in.most_common(6)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
