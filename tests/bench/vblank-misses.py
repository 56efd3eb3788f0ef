#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Why vblanks went without a new frame: reads tests/bench/frame-profile.sh's
`vblank` trace (sched_switch of every task, drm_vblank_event and
drm_vblank_event_delivered, one vCPU) of a client animating every frame,
on a driver with vblank interrupts (guestkms: an emulated vblank timer).
A vblank is missed when no page-flip event was delivered at it. Prints the
time each task spent on the CPU per vblank, then for every missed vblank
what ran in the period before it. "kworker" sums the unbound workers (the
commit worker, and its second when a commit starts before the previous one
has cleaned up), "idle" is the idle task.

  vblank-misses.py TRACE [SKIP-SECONDS]

SKIP-SECONDS (default 1) leaves out the start of the trace, where the shell
that started it is still running.
"""
import collections
import re
import sys

LINE = re.compile(r'^\s*.+?-(\d+)\s+\[\d+\]\s+\S+\s+([\d.]+): (\w+): (.*)$')
SEQ = re.compile(r'seq=(\d+)')
PREV = re.compile(r'prev_comm=(.+?) prev_pid=')


def task(comm):
    if comm.startswith('kworker/u'):
        return 'kworker'
    if comm.startswith('swapper'):
        return 'idle'
    return comm


def parse(path):
    switches, vblanks, delivered = [], [], set()
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            ts, event, rest = float(m.group(2)), m.group(3), m.group(4)
            if event == 'sched_switch':
                p = PREV.search(rest)
                if p:
                    switches.append((ts, task(p.group(1))))
            elif event in ('drm_vblank_event', 'drm_vblank_event_delivered'):
                s = SEQ.search(rest)
                if not s:
                    continue
                if event == 'drm_vblank_event':
                    vblanks.append((ts, int(s.group(1))))
                else:
                    delivered.add(int(s.group(1)))
    return switches, vblanks, delivered


def on_cpu(switches, a, b):
    """Time on the CPU per task between a and b: each switch ends a slice."""
    spent = collections.Counter()
    for (t0, _), (t1, who) in zip(switches, switches[1:]):
        lo, hi = max(t0, a), min(t1, b)
        if hi > lo:
            spent[who] += hi - lo
    return spent


def fmt(spent, scale=1e3, n=6):
    return ', '.join(f'{k} {v * scale:.2f}' for k, v in spent.most_common(n))


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        skip = float(sys.argv[2]) if len(sys.argv) == 3 else 1.0
        switches, vblanks, delivered = parse(sys.argv[1])
    except (OSError, ValueError) as e:
        print(f'vblank-misses: {e}', file=sys.stderr)
        return 2
    if switches:
        vblanks = [v for v in vblanks if v[0] >= switches[0][0] + skip]
    if len(vblanks) < 2 and delivered:
        print('vblank-misses: page-flip events but no vblanks: the driver has '
              'no vblank interrupt (the in-tree bochs sends its events at the '
              'commit), so there is no vblank to miss', file=sys.stderr)
        return 1
    if len(vblanks) < 2 or not delivered:
        print('vblank-misses: no vblanks or no page-flip events in the trace '
              '(was a client animating?)', file=sys.stderr)
        return 1
    periods = list(zip(vblanks, vblanks[1:]))
    missed = [(a, b) for a, b in periods if b[1] not in delivered]
    n = len(periods)
    total = on_cpu(switches, vblanks[0][0], vblanks[-1][0])
    print(f'{n} vblank periods in {vblanks[-1][0] - vblanks[0][0]:.2f} s, '
          f'{len(missed)} missed ({100 * len(missed) / n:.1f} %)')
    print('ms on the CPU per vblank: ' + fmt(
        collections.Counter({k: v / n for k, v in total.items()})))
    busy = 0
    for (t0, _), (t1, seq) in missed:
        spent = on_cpu(switches, t0, t1)
        busy += spent['idle'] < 0.5e-3
        print(f'  missed {seq}: {(t1 - t0) * 1e3:.1f} ms before it: ' + fmt(spent))
    if missed:
        print(f'{busy} of {len(missed)} missed vblanks followed a period with '
              'less than 0.5 ms idle')
    return 0


if __name__ == '__main__':
    sys.exit(main())
