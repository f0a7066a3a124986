#!/usr/bin/python3
"""Runs a command and records what it cost, for `zmqtap bench read`.

    /usr/bin/python3 rusage.py OUT.txt COMMAND [ARG...]

writes one line to OUT.txt once COMMAND has ended: wall seconds (from just before the fork to the
reaping), user and system CPU seconds, peak resident set in KiB, and the exit code (negative: the
signal that ended it). The figures come from wait4(2), the same rusage GNU time prints, with
microsecond CPU times and without needing the `time` package. The command's stdin, stdout and
stderr are this script's. Exits with the command's exit code.
"""
import os
import sys
import time


def main(out, argv):
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        except OSError as e:
            os.write(2, ("rusage.py: cannot run %s: %s\n" % (argv[0], e.strerror)).encode())
        os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w") as f:
        f.write("%.6f %.6f %.6f %d %d\n" % (wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss, code))
    return code


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: rusage.py OUT.txt COMMAND [ARG...]")
    sys.exit(main(sys.argv[1], sys.argv[2:]) & 0xFF)
