"""pyzmq's MonitoredQueue (libzmq, C loop) for `zmqtap bench`.

usage: python3 monitored_queue.py FRONTEND BACKEND CAPTURE
  binds FRONTEND (ROUTER) and CAPTURE (PUB), connects BACKEND (DEALER), e.g.
  python3 monitored_queue.py tcp://127.0.0.1:* tcp://127.0.0.1:5555 tcp://127.0.0.1:*
Prints "ready <frontend> <capture> <module file>" once bound, then runs
zmq.devices.monitored_queue(in ROUTER, out DEALER, mon PUB, b'in', b'out') until stdin closes
or SIGTERM arrives.
"""
import os
import sys
import threading

import zmq
from zmq.devices import monitored_queue


def exit_when_stdin_closes():
    # monitored_queue runs in C without the GIL, so this thread can still end the process.
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    frontend, backend, capture = sys.argv[1:4]
    ctx = zmq.Context()
    ins = ctx.socket(zmq.ROUTER)
    outs = ctx.socket(zmq.DEALER)
    mons = ctx.socket(zmq.PUB)
    for s in (ins, outs, mons):
        s.linger = 0
    ins.bind(frontend)
    outs.connect(backend)
    mons.bind(capture)
    module = sys.modules[monitored_queue.__module__]
    print("ready", ins.last_endpoint.decode(), mons.last_endpoint.decode(),
          getattr(module, "__file__", "?"), flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    monitored_queue(ins, outs, mons, b'in', b'out')


if __name__ == "__main__":
    main()
