# Real libzmq peers for LibzmqWireTest. Usage: peers.py req|sub|dealer|curve
# Prints "PORT <n>" (the server's port), reads "RELAY <m>" (where the client must connect),
# runs one exchange through the relay, prints "DONE" and closes everything.
import sys
import zmq

mode = sys.argv[1]
ctx = zmq.Context()
server_type, client_type = {"req": (zmq.ROUTER, zmq.REQ), "sub": (zmq.PUB, zmq.SUB),
                            "dealer": (zmq.ROUTER, zmq.DEALER), "curve": (zmq.ROUTER, zmq.DEALER)}[mode]
server = ctx.socket(server_type)
client = ctx.socket(client_type)
for s in (server, client):
    s.linger = 2000
    s.rcvtimeo = 5000
if mode == "curve":
    # Fresh keys each run: the test checks only what travels in the clear (names and sizes).
    server_public, server_secret = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    server.curve_server = True
    server.curve_secretkey = server_secret
    server.curve_publickey = server_public
    client.curve_serverkey = server_public
    client.curve_publickey = client_public
    client.curve_secretkey = client_secret
port = server.bind_to_random_port("tcp://127.0.0.1")
print("PORT %d" % port, flush=True)
relay = int(sys.stdin.readline().split()[1])
if mode == "req":
    client.setsockopt(zmq.IDENTITY, b"client_id_abc")
if mode == "sub":
    client.setsockopt(zmq.SUBSCRIBE, b"weather")
client.connect("tcp://127.0.0.1:%d" % relay)
if mode == "req":
    client.send(b"3")
    ident, empty, body = server.recv_multipart()
    server.send_multipart([ident, empty, b"6"])
    assert client.recv() == b"6"
elif mode in ("dealer", "curve"):
    client.send_multipart([b"a", b"b"])
    ident, a, b = server.recv_multipart()
    server.send_multipart([ident, b"c"])
    assert client.recv() == b"c"
else:
    # PUB drops until the subscription arrives: publish until the subscriber has one message.
    poller = zmq.Poller()
    poller.register(client, zmq.POLLIN)
    for i in range(100):
        server.send(b"weather 21C")
        if poller.poll(50):
            assert client.recv() == b"weather 21C"
            break
    else:
        sys.exit("subscriber never received")
    client.setsockopt(zmq.UNSUBSCRIBE, b"weather")  # travels before the close (linger)
client.close()
server.close()
ctx.term()
print("DONE", flush=True)
