"""RuleGate's sandbox set-up and bytecode compiler (standard library only). Runs no rule code.

    python3 rulegate_sandbox.py compile ROOT CACHE
        Compiles every .py file under ROOT whose bytecode is not in CACHE yet. The cache is keyed
        by a hash of the file's path, its content and Python's bytecode version (never by path
        alone), so an edited file never runs stale bytecode. Workers only read this cache.

    enter(root, cache, private_tmp), called by rulegate_worker.py first thing when it runs inside
        `unshare --user --map-root-user --pid --mount ...` (src/run/sandbox.ts), before it imports
        anything of the repository: fills the bytecode cache (in a mount namespace of its own, so
        that it stays writable for that compiler only), makes every mount read-only (the
        repository, home, the cache), mounts a private tmpfs on private_tmp and drops every
        capability (effective, permitted, bounding set; no_new_privs), so that nothing the rule
        code does later can undo any of this.
"""

import hashlib
import importlib.util
import marshal
import os
import sys

MAX_FILES = 20000
SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".tox"}

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_RELATIME = 1 << 21
MS_STRICTATIME = 1 << 24
CLONE_NEWNS = 0x00020000
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38

FLAG_WORDS = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME,
    "relatime": MS_RELATIME,
    "strictatime": MS_STRICTATIME,
}


def cache_key(path, source):
    """The cache file name of one source file (rulegate_worker.RepoLoader uses the same)."""
    digest = hashlib.sha256()
    digest.update(importlib.util.MAGIC_NUMBER)
    digest.update(os.fsencode(path))
    digest.update(b"\0")
    digest.update(source)
    return digest.hexdigest() + ".code"


def compile_tree(root, cache):
    try:
        os.nice(19)  # an optimisation for the next run: never in the way of this run's tests
    except (AttributeError, OSError):
        pass
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
        for name in files:
            if not name.endswith(".py"):
                continue
            count += 1
            if count > MAX_FILES:
                return
            path = os.path.join(folder, name)
            try:
                if not os.path.isfile(path) or os.path.islink(path):
                    continue
                with open(path, "rb") as f:
                    source = f.read()
                target = os.path.join(cache, cache_key(path, source))
                if os.path.exists(target):
                    continue
                code = compile(source, path, "exec", dont_inherit=True)
                tmp = "%s.%d.tmp" % (target, os.getpid())
                with open(tmp, "wb") as f:
                    f.write(marshal.dumps(code))
                os.replace(tmp, target)
            except (OSError, SyntaxError, ValueError, MemoryError, RecursionError):
                continue  # the worker reports syntax errors when it loads the file


def _libc():
    import ctypes  # pylint: disable=import-outside-toplevel

    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    return libc, ctypes


def _mounts():
    out = []
    with open("/proc/self/mountinfo", "rb") as f:
        for line in f:
            fields = line.split()
            point = fields[4].decode("utf-8", "surrogateescape")
            for esc, ch in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
                point = point.replace(esc, ch)
            flags = 0
            for word in fields[5].decode().split(","):
                flags |= FLAG_WORDS.get(word, 0)
            out.append((point, flags))
    return out


def enter(root, cache, private_tmp):
    libc, ctypes = _libc()
    # 1. the compiler child gets a mount namespace of its own (still writable) and fills the cache
    #    while the worker starts; it runs no repository code
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(ready_r)
            own = libc.unshare(CLONE_NEWNS) == 0
            os.write(ready_w, b"1")  # its copy of the mounts is taken: the parent may go on
            os.close(ready_w)
            if own:
                compile_tree(root, cache)
        finally:
            os._exit(0)
    os.close(ready_w)
    os.read(ready_r, 1)
    os.close(ready_r)
    # 2. everything read-only: the repository, home, the bytecode cache, /tmp
    for point, flags in _mounts():
        if libc.mount(None, point.encode("utf-8", "surrogateescape"), None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, None) != 0:
            errno = ctypes.get_errno()
            # 13/1: a mount the kernel locked (owned by a more privileged namespace) — it is then
            # already as restricted as its owner made it; anything else is a real failure
            if errno not in (1, 13, 22):
                raise OSError(errno, "cannot make %s read-only" % point)
    # 3. a private writable temp folder
    if libc.mount(b"tmpfs", private_tmp.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0700,size=1g") != 0:
        raise OSError(ctypes.get_errno(), "cannot mount the private temp folder")
    # 4. no capability left: the worker (root only inside this user namespace) cannot remount,
    #    unmount or otherwise undo the above
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == 22:
            break
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    none = (Data * 2)()
    if libc.capset(ctypes.byref(Header(0x20080522, 0)), none) != 0:
        raise OSError(ctypes.get_errno(), "cannot drop capabilities")
    os.chdir("/")


def main():
    args = sys.argv[1:]
    if args and args[0] == "compile" and len(args) == 3:
        compile_tree(args[1], args[2])
        return
    sys.stderr.write("usage: rulegate_sandbox.py compile ROOT CACHE\n")
    sys.exit(2)


if __name__ == "__main__":
    main()
