"""libzmq peers (pyzmq) for zmqtap's interop tests.

Run as: /usr/bin/python3 -u -c "<this file>" ROLE ARGS...

Endpoints follow the CZMQ convention: '@tcp://127.0.0.1:*' binds, '>tcp://127.0.0.1:4444'
(or no prefix) connects. Every role prints 'ready' once its sockets are set up, one line per
thing it saw, and 'done' when it finished on its own. Every receive has a timeout: on timeout
the role prints 'timeout waiting for ...' and exits with status 3, so a test never hangs on us.
Roles that serve (server, workers, publisher, pyqueue) run until the test kills them.
"""
import struct
import sys
import time

import zmq
from zmq.devices import monitored_queue

TIMEOUT_MS = 10000

ctx = zmq.Context.instance()
ctx.setsockopt(zmq.LINGER, 0)


def say(*parts):
    print(*parts, flush=True)


def attach(sock, endpoint):
    """Binds ('@') or connects ('>' or nothing); returns the address used."""
    if endpoint.startswith('@'):
        sock.bind(endpoint[1:])
        return sock.getsockopt(zmq.LAST_ENDPOINT).decode()
    address = endpoint[1:] if endpoint.startswith('>') else endpoint
    sock.connect(address)
    return address


def recv(sock, what):
    if not sock.poll(TIMEOUT_MS):
        say('timeout waiting for', what)
        sys.exit(3)
    return sock.recv_multipart()


def doubled(request):
    return str(int(request) * 2).encode()


def server(endpoint):
    """A REP server that doubles integers: b'3' -> b'6'."""
    rep = ctx.socket(zmq.REP)
    attach(rep, endpoint)
    say('ready')
    while True:
        rep.send(doubled(rep.recv()))


def client(endpoint, count, identity=''):
    """A REQ client sending '0'..'count-1', printing 'i result:  r' like zmqtap's DoublingClient."""
    req = ctx.socket(zmq.REQ)
    if identity:
        req.setsockopt(zmq.IDENTITY, identity.encode())
    attach(req, endpoint)
    say('ready')
    for i in range(int(count)):
        req.send_string(str(i))
        say('%d result:  %s' % (i, recv(req, 'reply %d' % i)[0].decode()))
    say('done')


def clients(endpoint, count, *identities):
    """One REQ per identity; in round i client k sends 100*k+i, all before any reply is read."""
    sockets = []
    for identity in identities:
        req = ctx.socket(zmq.REQ)
        req.setsockopt(zmq.IDENTITY, identity.encode())
        attach(req, endpoint)
        sockets.append(req)
    say('ready')
    for i in range(int(count)):
        for k, req in enumerate(sockets):
            req.send_string(str(100 * k + i))
        for k, req in enumerate(sockets):
            reply = recv(req, 'reply to %s' % identities[k])[0].decode()
            say('%s %d result:  %s' % (identities[k], 100 * k + i, reply))
    say('done')


def sub(endpoint, count, topic=''):
    """A monitor client: a SUB printing repr() of each multipart message."""
    s = ctx.socket(zmq.SUB)
    s.setsockopt(zmq.SUBSCRIBE, topic.encode())
    attach(s, endpoint)
    say('ready')
    for i in range(int(count)):
        say(repr(recv(s, 'message %d' % i)))
    say('done')


def pyqueue(subscribers, frontend='@tcp://127.0.0.1:*', backend='@tcp://127.0.0.1:*',
            capture='@tcp://127.0.0.1:*'):
    """pyzmq's MonitoredQueue: ROUTER in, DEALER out, prefixes b'in'/b'out'.

    Each endpoint argument may list several endpoints, comma-separated. Prints
    'endpoints FRONTEND BACKEND CAPTURE' with the addresses used.

    The monitor socket is an XPUB in verbose mode: on the wire it is a PUB, but it lets us wait
    until `subscribers` sniffers have subscribed before any traffic, so none of them misses a
    message (monitored_queue never reads the monitor socket).
    """
    front = ctx.socket(zmq.ROUTER)
    back = ctx.socket(zmq.DEALER)
    mon = ctx.socket(zmq.XPUB)
    mon.setsockopt(zmq.XPUB_VERBOSE, 1)
    say('endpoints', *(','.join(attach(sock, e) for e in endpoints.split(','))
                       for sock, endpoints in ((front, frontend), (back, backend), (mon, capture))))
    for i in range(int(subscribers)):
        subscription = recv(mon, 'subscriber %d' % i)
        if subscription[0][:1] != b'\x01':
            say('unexpected message on the monitor socket', repr(subscription))
            sys.exit(4)
    say('ready')
    monitored_queue(front, back, mon, b'in', b'out')


def steer(frontend, control, identity):
    """Drives a zmqtap queue through its control socket with a REQ, as a libzmq program would."""
    req = ctx.socket(zmq.REQ)
    req.setsockopt(zmq.IDENTITY, identity.encode())
    attach(req, frontend)
    ctl = ctx.socket(zmq.REQ)
    attach(ctl, control)
    say('ready')

    def command(name):
        ctl.send_string(name)
        return recv(ctl, 'reply to ' + name)

    def statistics():
        frames = command('STATISTICS')
        return '%d %s' % (len(frames), [struct.unpack('=Q', f)[0] for f in frames])

    def ask(i):
        req.send_string(str(i))
        say('%d result:  %s' % (i, recv(req, 'reply %d' % i)[0].decode()))

    ask(0)
    say('PAUSE', command('PAUSE'))
    req.send_string('1')
    say('while paused:', 'a reply' if req.poll(300) else 'no reply within 300 ms')
    say('STATISTICS', statistics())
    say('RESUME', command('RESUME'))
    say('1 result:  %s' % recv(req, 'reply 1')[0].decode())
    for i in range(2, 5):
        ask(i)
    say('STATISTICS', statistics())
    say('TERMINATE', command('TERMINATE'))
    say('done')


def steerable(control_type='REP'):
    """libzmq's zmq_proxy_steerable: ROUTER frontend, DEALER backend, a REP (or PAIR) control socket.

    Prints 'endpoints FRONTEND BACKEND CONTROL', then 'ready', and 'proxy returned' when the proxy
    returns (after TERMINATE). libzmq 4.3.4 aborts the process on a control command it does not know.
    """
    front = ctx.socket(zmq.ROUTER)
    back = ctx.socket(zmq.DEALER)
    control = ctx.socket(getattr(zmq, control_type))
    say('endpoints', *(attach(sock, '@tcp://127.0.0.1:*') for sock in (front, back, control)))
    say('ready')
    zmq.proxy_steerable(front, back, None, control)
    say('proxy returned')


def reprs(*hex_strings):
    """Prints Python's repr of the list of byte strings given in hex, e.g. '00ff' '27'."""
    say(repr([bytes.fromhex(h) for h in hex_strings]))


def ctl(endpoint, *commands):
    """A REQ control client: sends each command, prints 'COMMAND repr(reply frames)'."""
    req = ctx.socket(zmq.REQ)
    attach(req, endpoint)
    say('ready')
    for command in commands:
        req.send_string(command)
        say(command, recv(req, 'reply to ' + command))
    say('done')


def publisher(endpoint):
    """A PUB publishing b'weather N' and b'sports N' every 10 ms until killed."""
    pub = ctx.socket(zmq.PUB)
    attach(pub, endpoint)
    say('ready')
    n = 0
    while True:
        pub.send(b'weather %d' % n)
        pub.send(b'sports %d' % n)
        n += 1
        time.sleep(0.01)  # pacing the stream, not waiting for anything


def workers(endpoint, *names):
    """ROUTER workers with identities; each doubles and replies to the client that asked.

    PROBE_ROUTER makes each send an empty message when connected, so the test can see (in the
    proxy's statistics) that the proxy knows the worker before it routes anything to it.
    """
    poller = zmq.Poller()
    sockets = {}
    for name in names:
        s = ctx.socket(zmq.ROUTER)
        s.setsockopt(zmq.IDENTITY, name.encode())
        s.setsockopt(zmq.PROBE_ROUTER, 1)
        attach(s, endpoint)
        poller.register(s, zmq.POLLIN)
        sockets[s] = name
    say('ready')
    while True:
        for s, _ in poller.poll():
            frames = s.recv_multipart()
            say('%s got %r via a %d-byte routing id' % (sockets[s], frames[1:], len(frames[0])))
            s.send_multipart(frames[:-1] + [doubled(frames[-1])])


def dealer(endpoint, identity, *requests):
    """A DEALER client; each request is WORKER:PAYLOAD, sent as [WORKER, b'', PAYLOAD]."""
    d = ctx.socket(zmq.DEALER)
    d.setsockopt(zmq.IDENTITY, identity.encode())
    attach(d, endpoint)
    say('ready')
    for request in requests:
        worker, payload = request.split(':')
        d.send_multipart([worker.encode(), b'', payload.encode()])
        say(repr(recv(d, 'reply from ' + worker)))
    say('done')


def heartbeat(sock):
    """libzmq PINGs every 50 ms and drops a connection whose peer has not answered within 200 ms.

    Returns a monitor socket that receives one event per dropped connection.
    """
    sock.setsockopt(zmq.HEARTBEAT_IVL, 50)
    sock.setsockopt(zmq.HEARTBEAT_TIMEOUT, 200)
    return sock.get_monitor_socket(zmq.EVENT_DISCONNECTED)


def dropped(monitor):
    count = 0
    while monitor.poll(0):
        monitor.recv_multipart()
        count += 1
    return count


def heartbeat_server(endpoint):
    """The doubling REP server, heartbeating; with each reply it prints how many connections it dropped."""
    rep = ctx.socket(zmq.REP)
    monitor = heartbeat(rep)
    attach(rep, endpoint)
    say('ready')
    while True:
        request = rep.recv()
        rep.send(doubled(request))
        say('served', request.decode(), 'dropped', dropped(monitor))


def heartbeat_client(endpoint, count, idle_ms):
    """A heartbeating REQ: asks '0'..'count-1', idle for idle_ms between requests, then prints how many
    connections it dropped."""
    req = ctx.socket(zmq.REQ)
    monitor = heartbeat(req)
    attach(req, endpoint)
    say('ready')
    for i in range(int(count)):
        if i > 0:
            time.sleep(int(idle_ms) / 1000.0)
        req.send_string(str(i))
        say('%d result:  %s' % (i, recv(req, 'reply %d' % i)[0].decode()))
    say('dropped', dropped(monitor))
    say('done')


def secure_client(endpoint, mechanism):
    """A REQ client speaking PLAIN or CURVE: sends one request, says 'reply' or 'no reply' after 2 s."""
    req = ctx.socket(zmq.REQ)
    if mechanism == 'PLAIN':
        req.plain_username = b'user'
        req.plain_password = b'secret'
    else:
        public, secret = zmq.curve_keypair()
        server_public, _ = zmq.curve_keypair()
        req.curve_publickey = public
        req.curve_secretkey = secret
        req.curve_serverkey = server_public
    attach(req, endpoint)
    say('ready')
    req.send(b'1')
    say('reply' if req.poll(2000) else 'no reply')
    say('done')


ROLES = {f.__name__: f for f in (server, client, clients, sub, pyqueue, steer, steerable, reprs, ctl, publisher,
                                 workers, dealer, heartbeat_server, heartbeat_client, secure_client)}

if __name__ == '__main__':
    if len(sys.argv) < 2 or sys.argv[1] not in ROLES:
        say('usage: ROLE ARGS... with ROLE one of', ' '.join(sorted(ROLES)))
        sys.exit(2)
    try:
        ROLES[sys.argv[1]](*sys.argv[2:])
    finally:
        ctx.destroy(linger=0)
