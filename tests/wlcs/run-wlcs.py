#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the Wayland Conformance Suite against guestwl and judge the result.

Runs WLCS MODULE --gtest_output=xml:XML, counts passed / failed / skipped
tests per group (the gtest suite name without its instantiation prefix)
and exits 1 when a test fails that is not in the expected-failure list,
when a test on that list passes, when the module reports a descriptor
mismatch, or when wlcs died before writing its report.
"""
import argparse
import collections
import fnmatch
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET


def parse_expected(path):
    """Entries 'Suite.test  # reason'; patterns may use * and ?."""
    entries = []
    errors = []
    with open(path, encoding='utf-8') as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith('#'):
                continue
            name, sep, reason = line.partition('#')
            name, reason = name.strip(), reason.strip()
            if not sep or not reason or not name or ' ' in name:
                errors.append(f'{path}:{n}: want "Suite.test  # reason", got {line!r}')
                continue
            entries.append((name, reason))
    return entries, errors


def group_of(suite):
    # "Instantiation/SuiteName/3" or "SuiteName/3" -> "SuiteName"
    parts = [p for p in suite.split('/') if p and not p.isdigit()]
    return parts[-1] if parts else suite


def outcome(case):
    if case.find('failure') is not None or case.find('error') is not None:
        return 'fail'
    if (case.get('result') == 'skipped' or case.get('status') == 'notrun'
            or case.find('skipped') is not None):
        return 'skip'
    return 'pass'


def parse_results(path):
    results = {}
    for suite in ET.parse(path).getroot().iter('testsuite'):
        for case in suite.iter('testcase'):
            name = f"{suite.get('name')}.{case.get('name')}"
            results[name] = (group_of(suite.get('name')), outcome(case))
    return results


def print_table(results):
    counts = collections.defaultdict(collections.Counter)
    for group, result in results.values():
        counts[group][result] += 1
    total = collections.Counter()
    width = max([len(g) for g in counts] + [5])
    print(f"{'group':<{width}} {'pass':>5} {'fail':>5} {'skip':>5}")
    for group in sorted(counts):
        c = counts[group]
        total.update(c)
        print(f"{group:<{width}} {c['pass']:>5} {c['fail']:>5} {c['skip']:>5}")
    print(f"{'total':<{width}} {total['pass']:>5} {total['fail']:>5} {total['skip']:>5}")
    return total


def judge(results, entries):
    problems = []
    used = set()
    for name, (_, result) in sorted(results.items()):
        match = next((e for e in entries if fnmatch.fnmatchcase(name, e[0])), None)
        if match:
            used.add(match[0])
        if result == 'fail' and not match:
            problems.append(f'UNEXPECTED FAILURE: {name}')
        elif result == 'pass' and match:
            problems.append(f'UNEXPECTED PASS: {name} (listed: {match[1]})')
    for name, _ in entries:
        if name not in used:
            problems.append(f'STALE ENTRY (no such test): {name}')
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--wlcs', required=True, help='wlcs test runner binary')
    ap.add_argument('--module', required=True, help='integration module (.so)')
    ap.add_argument('--expected', required=True, help='expected-failure list')
    ap.add_argument('--xml', required=True, help='where to write the gtest report')
    ap.add_argument('--log', help='full wlcs output (default: XML with .log)')
    ap.add_argument('gtest_args', nargs='*', help='extra arguments (e.g. --gtest_filter=...)')
    args = ap.parse_args()

    entries, errors = parse_expected(args.expected)
    if errors:
        print('\n'.join(errors), file=sys.stderr)
        return 2
    for path in (args.wlcs, args.module):
        if not os.access(path, os.R_OK):
            print(f'run-wlcs: {path}: not found', file=sys.stderr)
            return 2
    if os.path.exists(args.xml):
        os.unlink(args.xml)
    log = args.log or re.sub(r'\.xml$', '', args.xml) + '.log'
    cmd = [args.wlcs, args.module, f'--gtest_output=xml:{args.xml}'] + args.gtest_args
    print('run-wlcs: ' + ' '.join(cmd), flush=True)
    with open(log, 'w', encoding='utf-8', errors='replace') as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
    with open(log, encoding='utf-8', errors='replace') as f:
        output = f.read()
    print(f'run-wlcs: wlcs exited with status {proc.returncode}; output in {log}')

    problems = []
    if 'descriptor mismatch' in output:
        problems += [l for l in output.splitlines() if 'descriptor mismatch' in l][:5]
    if 'ERROR: AddressSanitizer' in output or 'runtime error:' in output:
        problems.append('sanitizer report in the output')
    if not os.path.exists(args.xml):
        print(output[-4000:])
        problems.append(f'wlcs wrote no report (status {proc.returncode})')
        results = {}
    else:
        results = parse_results(args.xml)
        print_table(results)
        problems += judge(results, entries) if not args.gtest_args else [
            p for p in judge(results, entries) if not p.startswith('STALE')]
    if proc.returncode < 0:
        problems.append(f'wlcs killed by signal {-proc.returncode}')
    for p in problems:
        print(p)
    print(f'run-wlcs: {"FAIL" if problems else "OK"} ({len(problems)} problems)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
