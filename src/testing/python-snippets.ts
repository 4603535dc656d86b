// Python text the tests' and benches' bots share, for `python3 -c` programs written in place.

/**
 * Defines two workers, `one` and `two`, that take locks `a` and `b` in opposite orders with a
 * pause between: started together, both wait on each other's lock forever (a deadlock, each
 * thread in futex_wait). Needs `threading` and `time` imported. The caller starts them.
 */
export const DEADLOCKED_PAIR = `
a, b = threading.Lock(), threading.Lock()
def one():
    with a:
        time.sleep(0.3)
        with b: pass
def two():
    with b:
        time.sleep(0.3)
        with a: pass
`;

/** Sends 64 KiB on the non-blocking socket `s` and reads what came back, every 50 ms, forever. Needs `time` imported. */
export const TALK_FOREVER = `
while True:
    try: s.send(b"x" * 65536)
    except BlockingIOError: pass
    try:
        while s.recv(1 << 20): pass
    except BlockingIOError: pass
    time.sleep(0.05)
`;
