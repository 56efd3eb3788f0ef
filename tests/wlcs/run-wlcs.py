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
    # wlcs records a skip (extension not in the descriptor) as a failure
    # carrying the property wlcs-skip-test.
    props = {p.get('name') for p in case.iter('property')}
    if 'wlcs-skip-test' in props:
        return 'skip'
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


LOG_RESULT = re.compile(r'^\[\s+(OK|FAILED|SKIP)\s+\] (\S+?)(?:,| \(|$)')


def parse_log(output):
    """Results from the console log of a run that wrote no XML (crash, hang).

    Returns (results, unfinished): the test that was running when wlcs
    died has no result line.
    """
    results, running = {}, None
    for line in output.splitlines():
        if line.startswith('[ RUN      ] '):
            running = line[13:].strip()
            continue
        m = LOG_RESULT.match(line)
        if m and m.group(2) == running:
            outcome_ = {'OK': 'pass', 'FAILED': 'fail', 'SKIP': 'skip'}[m.group(1)]
            results[running] = (group_of(running.split('.')[0]), outcome_)
            running = None
    return results, running


def child_env(args):
    """Environment of wlcs; with --asan the module stays loaded until exit.

    wlcs dlcloses the module after the tests, before LeakSanitizer looks:
    memory only referenced from the module's (or its libraries') globals
    would then show up as leaks of an "unknown module". Preloading the
    module (after the ASan runtime, which must come first) keeps it mapped.
    """
    env = dict(os.environ)
    if not args.asan:
        return env
    ldd = subprocess.run(['ldd', args.wlcs], capture_output=True, text=True).stdout
    runtime = [l.split()[2] for l in ldd.splitlines() if 'libasan' in l and '=>' in l]
    env['LD_PRELOAD'] = ':'.join(runtime + [os.path.abspath(args.module)])
    supp = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lsan.supp')
    env['LSAN_OPTIONS'] = f'suppressions={supp}:print_suppressions=1'
    return env


def run_wlcs(args, xml, log, exclude):
    """One wlcs run; returns (status or None on timeout, output)."""
    gfilter = args.filter + ('-' + ':'.join(sorted(exclude)) if exclude else '')
    cmd = [args.wlcs, args.module, f'--gtest_output=xml:{xml}',
           f'--gtest_filter={gfilter}'] + args.gtest_args
    print(f'run-wlcs: {args.wlcs} {args.module} --gtest_output=xml:{xml} '
          f'(filter: {args.filter}, {len(exclude)} excluded)', flush=True)
    with open(log, 'w', encoding='utf-8', errors='replace') as out:
        try:
            status = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT,
                                    env=child_env(args), timeout=args.timeout,
                                    check=False).returncode
        except subprocess.TimeoutExpired:
            status = None
    with open(log, encoding='utf-8', errors='replace') as f:
        return status, f.read()


def run_all(args, problems):
    """Run wlcs; after a crash or hang, go on with the tests not run yet."""
    results, attempt = {}, 0
    base = re.sub(r'\.xml$', '', args.xml)
    while True:
        xml = args.xml if attempt == 0 else f'{base}.{attempt}.xml'
        log = f'{base}.log' if attempt == 0 else f'{base}.{attempt}.log'
        if os.path.exists(xml):
            os.unlink(xml)
        status, output = run_wlcs(args, xml, log, set(results))
        print(f'run-wlcs: wlcs exited with status {status}; output in {log}')
        if 'descriptor mismatch' in output:
            problems += [l for l in output.splitlines() if 'descriptor mismatch' in l][:5]
        if re.search(r'ERROR: \w+Sanitizer|runtime error:', output):
            problems.append(f'sanitizer report in {log}')
        if os.path.exists(xml) and status is not None and status >= 0:
            results.update(parse_results(xml))
            return results
        done, unfinished = parse_log(output)
        results.update(done)
        how = 'timed out' if status is None else f'died (status {status})'
        if not unfinished:
            print(output[-3000:])
            problems.append(f'wlcs {how} outside a test; see {log}')
            return results
        problems.append(f'CRASH: wlcs {how} in {unfinished}')
        results[unfinished] = (group_of(unfinished.split('.')[0]), 'fail')
        attempt += 1
        if attempt > 20:
            problems.append('run-wlcs: giving up after 20 crashes')
            return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--wlcs', required=True, help='wlcs test runner binary')
    ap.add_argument('--module', required=True, help='integration module (.so)')
    ap.add_argument('--expected', required=True, help='expected-failure list')
    ap.add_argument('--xml', required=True, help='where to write the gtest report')
    ap.add_argument('--filter', default='*', help='gtest filter (positive patterns)')
    ap.add_argument('--timeout', type=int, default=1500,
                    help='seconds before wlcs is killed (a hung test)')
    ap.add_argument('--asan', action='store_true',
                    help='wlcs.asan run: keep the module loaded, LSan suppressions')
    ap.add_argument('gtest_args', nargs='*', help='extra wlcs/gtest arguments')
    args = ap.parse_args()

    entries, errors = parse_expected(args.expected)
    if errors:
        print('\n'.join(errors), file=sys.stderr)
        return 2
    for path in (args.wlcs, args.module):
        if not os.access(path, os.R_OK):
            print(f'run-wlcs: {path}: not found', file=sys.stderr)
            return 2
    problems = []
    results = run_all(args, problems)
    print_table(results)
    verdicts = judge(results, entries)
    if args.filter != '*':
        verdicts = [v for v in verdicts if not v.startswith('STALE')]
    problems += verdicts
    for p in problems:
        print(p)
    print(f'run-wlcs: {"FAIL" if problems else "OK"} ({len(problems)} problems)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
