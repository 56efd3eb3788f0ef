#!/usr/bin/env python3
"""Print the newest /lib/modules/*/build that has a Makefile (or nothing)."""
import glob
import os
import re


def version_key(path):
    ver = path.split('/')[3]
    return [int(x) if x.isdigit() else x for x in re.split(r'(\d+)', ver)]


dirs = [d for d in glob.glob('/lib/modules/*/build')
        if os.path.isfile(os.path.join(d, 'Makefile'))]
if dirs:
    print(sorted(dirs, key=version_key)[-1])
