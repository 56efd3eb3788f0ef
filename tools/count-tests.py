#!/usr/bin/env python3
"""Summarise a meson testlog.json as 'N passed, N failed[, N skipped]'."""
import json
import sys


def main():
    path, meson_rc = sys.argv[1], int(sys.argv[2])
    counts = {'passed': 0, 'failed': 0, 'skipped': 0}
    try:
        with open(path) as f:
            for line in f:
                if not line.strip():
                    continue
                r = json.loads(line)['result']
                if r in ('OK', 'EXPECTEDFAIL'):
                    counts['passed'] += 1
                elif r == 'SKIP':
                    counts['skipped'] += 1
                else:
                    counts['failed'] += 1
                    print('failed: ' + json.loads(line)['name'], file=sys.stderr)
    except OSError:
        counts['failed'] += 1
    if meson_rc and not counts['failed']:
        counts['failed'] = 1  # meson itself failed without a test result
    line = f"{counts['passed']} passed, {counts['failed']} failed"
    if counts['skipped']:
        line += f", {counts['skipped']} skipped"
    print(line)
    return 1 if counts['failed'] else 0


if __name__ == '__main__':
    sys.exit(main())
