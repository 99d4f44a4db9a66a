"""RuleGate's Python test worker (standard library only).

Started by src/run (Node) as `python3 rulegate_worker.py`. The first line on stdin is a JSON
object {"addr": <unix socket path or [host, port]>, "token": <string>}. Everything else goes
over that socket as newline-delimited JSON; the process's own stdout/stderr (fds 1 and 2) are
pointed at /dev/null, and rule output is captured per test, so nothing a rule prints can reach
the channel.

Roles:
* zygote: imports the heavy, shared things once (unittest.mock, panther_core or RuleGate's
  equivalent, data models, global helpers, modules many rules import), then forks workers on
  request ({"t": "fork"}). Without os.fork it becomes a worker itself ({"t": "serve"}).
* worker: loads each detection module once under its ID and runs its tests in file order,
  answering one message per module load ("L") and one per test ("R").

Judgement follows RuleGate's specification of pat (panther-format.md, 6.3-6.6).
"""

import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))
# Rule code must not be able to import the worker's own files.
if sys.path and sys.path[0] and os.path.realpath(sys.path[0]) == _HERE:
    del sys.path[0]

import importlib.machinery  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import marshal  # noqa: E402
import platform  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import types  # noqa: E402
from collections.abc import Mapping  # noqa: E402

OUTPUT_CAP = 64 * 1024
MAX_FIELD = 1000
TRUNCATED = "... (truncated)"
MAX_ALERT_CONTEXT = 200 * 1024
SEVERITY_TYPES = ["INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
# pat runs the auxiliary functions in this order ...
AUX_RUN_ORDER = ("title", "description", "reference", "severity", "runbook", "destinations", "dedup", "alert_context")
# ... and reports them in this one.
AUX_REPORT_ORDER = ("title", "dedup", "alert_context", "description", "reference", "severity", "runbook", "destinations")

_perf = time.perf_counter


# ---------------------------------------------------------------------------------------------
# channel


# The channel's own encoder and decoder, made before any rule code runs: a rule that replaces
# json.dumps / json.loads (pat would see that too, in alert_context) cannot break the channel.
_ENCODE = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode
_DECODE = json.JSONDecoder().decode
_SHOW = json.JSONEncoder().encode


def _dumps(msg):
    try:
        text = _ENCODE(msg)
    except (TypeError, ValueError):
        text = _ENCODE(_plain(msg))
    if not isinstance(text, str):  # the encoder class was tampered with
        text = '{"t":"bad"}'
    return (text + "\n").encode("ascii", "backslashreplace")


def _plain(value):
    """Last-resort conversion of a message to JSON-safe values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        return value
    return repr(value)


class Channel:
    def __init__(self, addr):
        if isinstance(addr, str):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(addr)
        else:
            sock = socket.create_connection((addr[0], int(addr[1])))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = sock
        self.rfile = sock.makefile("rb", buffering=1 << 16)

    def send(self, msg):
        self.sock.sendall(_dumps(msg))

    def recv(self):
        line = self.rfile.readline()
        if not line:
            return None
        return _DECODE(line.decode("utf-8"))

    def close(self):
        try:
            self.rfile.close()
        finally:
            self.sock.close()


# ---------------------------------------------------------------------------------------------
# output capture


class _CappedSink(io.RawIOBase):
    """Byte sink under Capture: keeps the first OUTPUT_CAP bytes and only counts the rest."""

    def __init__(self):
        super().__init__()
        self.kept = bytearray()
        self.size = 0

    def writable(self):
        return True

    def write(self, data):
        n = len(data)
        room = OUTPUT_CAP - len(self.kept)
        if room > 0:
            self.kept += bytes(data[:room])
        self.size += n
        return n


class Capture(io.TextIOWrapper):
    """sys.stdout/sys.stderr stand-in for one test. Text is encoded and buffered in C, so a rule
    that prints a million short lines is not slowed down by a Python-level write per call; only
    the first OUTPUT_CAP bytes are kept, so a flood of output costs no memory."""

    def __init__(self):
        self._sink = _CappedSink()
        super().__init__(
            io.BufferedWriter(self._sink, buffer_size=1 << 16),
            encoding="utf-8",
            errors="surrogatepass",
            newline="\n",
            line_buffering=False,
        )

    @property
    def size(self):
        self._settle()
        return self._sink.size

    def _settle(self):
        try:
            self.flush()
        except BaseException:  # pylint: disable=broad-except
            pass  # closed or broken by rule code: keep what arrived

    def text(self):
        self._settle()
        sink = self._sink
        out = bytes(sink.kept).decode("utf-8", errors="surrogatepass" if sink.size <= OUTPUT_CAP else "ignore")
        if sink.size > OUTPUT_CAP:
            out += "\n[... %d more bytes of output not kept]" % (sink.size - OUTPUT_CAP)
        return out


class _Quiet:
    """Context manager: Python-level output goes to a Capture while it is active."""

    def __init__(self, capture=None):
        self.capture = capture if capture is not None else Capture()

    def __enter__(self):
        self.saved = (sys.stdout, sys.stderr)
        sys.stdout = sys.stderr = self.capture
        return self.capture

    def __exit__(self, *exc):
        sys.stdout, sys.stderr = self.saved
        return False


def _devnull_fds(*fds):
    null = os.open(os.devnull, os.O_RDWR)
    for fd in fds:
        try:
            os.dup2(null, fd)
        except OSError:
            pass
    os.close(null)


def _close_inherited(keep):
    """Closes every file descriptor above 2 except `keep`: nothing Node's side left open (a pipe, a
    file) reaches rule code."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 256))
    for fd in fds:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------
# limits and process hygiene (see the README's security model)

_LIBC = None


def _prctl(option, arg):
    """Linux prctl(2) through ctypes (standard library); False where it is not available."""
    global _LIBC  # pylint: disable=global-statement
    if not sys.platform.startswith("linux"):
        return False
    try:
        if _LIBC is None:
            import ctypes  # pylint: disable=import-outside-toplevel

            _LIBC = ctypes.CDLL(None, use_errno=True)
        return _LIBC.prctl(option, arg, 0, 0, 0) == 0
    except BaseException:  # pylint: disable=broad-except
        return False


PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def _set_limits(limits):
    """Per-process limits, inherited by every worker: address space (the memory limit), processes,
    open files, and CPU time as a back-stop to the wall-clock time limit."""
    try:
        import resource  # pylint: disable=import-outside-toplevel
    except ImportError:
        return
    wanted = (
        ("RLIMIT_AS", limits.get("mem")),
        ("RLIMIT_NPROC", limits.get("nproc")),
        ("RLIMIT_NOFILE", limits.get("nofile")),
        ("RLIMIT_CPU", limits.get("cpu")),
    )
    for name, value in wanted:
        which = getattr(resource, name, None)
        if which is None or not value:
            continue
        try:
            soft, hard = resource.getrlimit(which)
            value = int(value)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, hard if name == "RLIMIT_CPU" else value))
        except (ValueError, OSError):
            pass


def _memory_words():
    mem = STATE.get("mem")
    if not mem:
        return "the memory available"
    gib = mem / float(1 << 30)
    size = ("%g GiB" % gib) if gib >= 1 else ("%d MiB" % (mem >> 20))
    return "RuleGate's memory limit of %s per worker (--memory-limit / input memory-limit to change it)" % size


_NET_ERRNOS = {101, 99, 113, 100, 111}  # ENETUNREACH, EADDRNOTAVAIL, EHOSTUNREACH, ENETDOWN, ECONNREFUSED


def _network_off_hint(exc):
    """Under the namespace sandbox the tests have no network: say so where a connection fails."""
    if not STATE.get("net_off"):
        return None
    try:
        if isinstance(exc, socket.gaierror) or (isinstance(exc, OSError) and exc.errno in _NET_ERRNOS):
            return (
                "the network is off while tests run (RuleGate's sandbox keeps tests hermetic); "
                "to allow it, pass --allow-network (action input allow-network: true)"
            )
    except BaseException:  # pylint: disable=broad-except
        pass
    return None


# ---------------------------------------------------------------------------------------------
# shared state, set up by the zygote and inherited by forked workers

STATE = {
    "event_mode": None,
    "PantherEvent": None,
    "json_encoder": None,
    "FunctionReturnTypeError": None,
    "MagicMock": None,
    "data_models": {},
}


def _load_core():
    spec = _spec("rulegate_core", os.path.join(_HERE, "rulegate_core.py"))
    core = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(core)
    return core


def _install_builtin_core(core):
    import types  # pylint: disable=import-outside-toplevel
    from importlib.machinery import ModuleSpec  # pylint: disable=import-outside-toplevel

    def module(name, attrs, package=False):
        mod = types.ModuleType(name)
        mod.__spec__ = ModuleSpec(name, None, is_package=package)
        mod.__file__ = os.path.join(_HERE, "rulegate_core.py")
        if package:
            mod.__path__ = []
        mod.__package__ = name if package else name.rpartition(".")[0]
        for key, value in attrs.items():
            setattr(mod, key, value)
        return mod

    immutable_names = ("ImmutableContainerMixin", "ImmutableCaseInsensitiveDict", "ImmutableList", "json_encoder")
    exception_names = ("PantherError", "FunctionReturnTypeError", "UnknownDestinationError")
    for name in immutable_names:
        getattr(core, name).__module__ = "panther_core.immutable"
    for name in exception_names:
        getattr(core, name).__module__ = "panther_core.exceptions"
    core.PantherEvent.__module__ = "panther_core.enriched_event"
    core.DataModel.__module__ = "panther_core.data_model"

    immutable = module("panther_core.immutable", {n: getattr(core, n) for n in immutable_names})
    exceptions = module("panther_core.exceptions", {n: getattr(core, n) for n in exception_names})
    data_model = module(
        "panther_core.data_model",
        {"E_NO_DATA_MODEL_FOUND": core.E_NO_DATA_MODEL_FOUND, "DataModel": core.DataModel},
    )
    enriched = module(
        "panther_core.enriched_event",
        {
            "__all__": ["PantherEvent"],
            "PantherEvent": core.PantherEvent,
            "ImmutableCaseInsensitiveDict": core.ImmutableCaseInsensitiveDict,
            "json_encoder": core.json_encoder,
            "DataModel": core.DataModel,
            "E_NO_DATA_MODEL_FOUND": core.E_NO_DATA_MODEL_FOUND,
            "PantherError": core.PantherError,
        },
    )
    package = module(
        "panther_core",
        {
            "PantherEvent": core.PantherEvent,
            "enriched_event": enriched,
            "immutable": immutable,
            "exceptions": exceptions,
            "data_model": data_model,
        },
        package=True,
    )
    sys.modules.update(
        {
            "panther_core": package,
            "panther_core.immutable": immutable,
            "panther_core.exceptions": exceptions,
            "panther_core.data_model": data_model,
            "panther_core.enriched_event": enriched,
        }
    )


def _choose_core(core):
    """Use panther_core's real event classes when importable, else RuleGate's equivalents."""
    try:
        found = importlib.util.find_spec("panther_core") is not None
    except (ImportError, ValueError):
        found = False
    if found:
        try:
            with _Quiet():
                from panther_core.enriched_event import PantherEvent  # pylint: disable=import-outside-toplevel
                from panther_core.immutable import json_encoder  # pylint: disable=import-outside-toplevel
                from panther_core.exceptions import (  # pylint: disable=import-outside-toplevel
                    FunctionReturnTypeError,
                )
            STATE.update(
                event_mode="panther_core",
                PantherEvent=PantherEvent,
                json_encoder=json_encoder,
                FunctionReturnTypeError=FunctionReturnTypeError,
            )
            return
        except BaseException:  # pylint: disable=broad-except
            for name in [n for n in sys.modules if n == "panther_core" or n.startswith("panther_core.")]:
                del sys.modules[name]
    _install_builtin_core(core)
    STATE.update(
        event_mode="builtin",
        PantherEvent=core.PantherEvent,
        json_encoder=core.json_encoder,
        FunctionReturnTypeError=core.FunctionReturnTypeError,
    )


def _own_module(name):
    """One of RuleGate's own Python files, loaded by path (the worker's folder is not on sys.path)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(_HERE, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class RepoLoader(importlib.machinery.SourceFileLoader):
    """Loads the repository's own Python files (detections, helpers, data models). Their bytecode
    comes from RuleGate's cache, keyed by path, content and Python version, which only RuleGate's
    compiler (rulegate_sandbox.py, no rule code) writes: workers read it and never write it, so rule
    code cannot plant bytecode there through RuleGate. A file not cached yet is compiled in memory.
    Everything else is imported the normal way; nothing is written (PYTHONDONTWRITEBYTECODE)."""

    def get_code(self, fullname):
        cache, key = STATE.get("pycache"), STATE.get("cache_key")
        path = self.get_filename(fullname)
        source = self.get_data(path)
        if cache and key:
            try:
                with open(os.path.join(cache, key(path, source)), "rb") as f:
                    code = marshal.loads(f.read())
                if isinstance(code, types.CodeType) and code.co_filename == path:
                    return code
            except (OSError, ValueError, EOFError, TypeError):
                pass
        return self.source_to_code(source, path)


def _spec(name, path):
    return importlib.util.spec_from_file_location(name, path, loader=RepoLoader(name, path))


class GlobalsFinder:
    """Makes each global helper importable under its GlobalID, after everything on sys.path
    (pat appends its helper directory to sys.path, so installed modules win)."""

    def __init__(self, mapping):
        self.mapping = mapping

    def find_spec(self, fullname, path=None, target=None):  # pylint: disable=unused-argument
        if path is not None:
            return None
        file = self.mapping.get(fullname)
        if file is None:
            return None
        return _spec(fullname, file)

    def invalidate_caches(self):
        pass


# ---------------------------------------------------------------------------------------------
# errors


MAX_ERROR_TEXT = 4000


def _exc_text(exc):
    try:
        text = str(exc)
    except BaseException:  # pylint: disable=broad-except
        try:
            text = repr(exc)
        except BaseException:  # pylint: disable=broad-except
            text = "<unprintable>"
    if not isinstance(text, str):
        text = "<unprintable>"
    if len(text) > MAX_ERROR_TEXT:
        text = "%s... (%d more characters)" % (text[:MAX_ERROR_TEXT], len(text) - MAX_ERROR_TEXT)
    hint = _network_off_hint(exc)
    if hint:
        text = "%s (%s)" % (text, hint) if text else hint
    elif isinstance(exc, MemoryError):
        text = "out of memory: %s" % _memory_words()
    return "%s: %s" % (type(exc).__name__, text)


def _user_frames(exc):
    try:
        frames = traceback.extract_tb(exc.__traceback__)
    except BaseException:  # pylint: disable=broad-except
        return []
    return [
        (f.filename, f.lineno)
        for f in frames
        if not f.filename.startswith("<") and os.path.dirname(f.filename) != _HERE
    ]


def _user_chain(exc, limit=20):
    """[[file, line, function], ...]: the user frames of a traceback, outermost first (rule -> helper -> ...)."""
    try:
        frames = traceback.extract_tb(exc.__traceback__)
    except BaseException:  # pylint: disable=broad-except
        return []
    chain = [
        [f.filename, f.lineno, str(f.name)[:100]]
        for f in frames
        if not f.filename.startswith("<") and os.path.dirname(f.filename) != _HERE and type(f.lineno) is int  # pylint: disable=unidiomatic-typecheck
    ]
    return chain[-limit:]


def _location(exc, own_file):
    """[file, line]: the innermost frame in own_file, else the innermost user frame."""
    frames = _user_frames(exc)
    for file, line in reversed(frames):
        if file == own_file:
            return [file, line]
    if frames:
        return list(frames[-1])
    return None


def _import_failure(exc, path):
    """Message for a module that could not be loaded (detection or data model)."""
    info = {"ok": False, "msg": _exc_text(exc), "type": type(exc).__name__}
    if isinstance(exc, SyntaxError):
        # the attributes are whatever the raiser set (rule code may raise SyntaxError itself)
        filename, lineno, offset, text, what = exc.filename, exc.lineno, exc.offset, exc.text, exc.msg
        info["code"] = "python/syntax"
        info["file"] = filename if isinstance(filename, str) and filename else path
        info["line"] = lineno if type(lineno) is int and lineno > 0 else 1  # pylint: disable=unidiomatic-typecheck
        if type(offset) is int and offset > 0:  # pylint: disable=unidiomatic-typecheck
            info["col"] = offset
        info["msg"] = _exc_text(exc) if not isinstance(what, str) else "%s: %s" % (type(exc).__name__, what[:MAX_ERROR_TEXT])
        if isinstance(text, str) and text.strip():
            info["text"] = text.strip()[:200]
        return info
    info["code"] = "python/import"
    if isinstance(exc, ImportError) and getattr(exc, "name", None):
        info["missing"] = exc.name
    frames = _user_frames(exc)
    own = [f for f in frames if f[0] == path]
    if own:
        info["file"], info["line"] = own[0]
    else:
        info["file"], info["line"] = path, 1
    if frames and frames[-1][0] != path:
        info["inner"] = list(frames[-1])
    return info


def _load_module(name, path, capture=None):
    spec = _spec(name, path)
    module = importlib.util.module_from_spec(spec)
    with _Quiet(capture):
        spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------------
# zygote set-up


def _progress(ch, step):
    ch.send({"t": "P", "s": step})


def setup(ch, init, core):
    """Data models, global helpers and shared imports; returns (findings, timings)."""
    findings = []
    skip = set(init.get("skip") or [])
    timings = {}

    t0 = _perf()
    sys.meta_path.append(GlobalsFinder({g[0]: g[1] for g in init.get("globals") or []}))

    models = {}
    for dm in init.get("dataModels") or []:
        step = "dm:%d" % dm["i"]
        if step in skip:
            continue
        _progress(ch, step)
        module = None
        py = dm.get("py")
        if py:
            if not os.path.isfile(py):
                findings.append({"dm": dm["i"], "code": "python/import", "file": py, "line": 1, "msg": "FileNotFoundError: %s" % py})
                continue
            try:
                module = _load_module(dm["id"], py)
            except BaseException as exc:  # pylint: disable=broad-except
                failure = _import_failure(exc, py)
                failure["dm"] = dm["i"]
                findings.append(failure)
                continue
        model = core.DataModel(dm["id"])
        for j, mapping in enumerate(dm.get("mappings") or []):
            if not isinstance(mapping, dict):
                continue
            lowered = {str(k).lower(): v for k, v in mapping.items()}
            name = lowered.get("name")
            if name is None:
                findings.append({"dm": dm["i"], "map": j, "key": "Name", "code": "datamodel/invalid", "msg": "the mapping has no Name"})
                continue
            # a repeated Name: the last mapping wins, whichever kind it is
            model.paths.pop(name, None)
            model.methods.pop(name, None)
            if lowered.get("path"):
                try:
                    model.paths[name] = core.JSONPath(lowered["path"])
                except ValueError as exc:
                    findings.append({"dm": dm["i"], "map": j, "key": "Path", "code": "datamodel/invalid", "msg": str(exc)})
            elif lowered.get("method"):
                method = lowered["method"]
                if module is None:
                    findings.append(
                        {
                            "dm": dm["i"],
                            "map": j,
                            "key": "Method",
                            "code": "datamodel/invalid",
                            "msg": "the mapping %s uses Method %s but the data model has no Filename (Python file)" % (name, method),
                        }
                    )
                elif not isinstance(method, str) or not hasattr(module, method):
                    findings.append(
                        {
                            "dm": dm["i"],
                            "map": j,
                            "key": "Method",
                            "code": "datamodel/invalid",
                            "msg": "the mapping %s uses Method %s, which the data model's Python file does not define" % (name, method),
                        }
                    )
                else:
                    model.methods[name] = getattr(module, method)
            else:
                findings.append(
                    {"dm": dm["i"], "map": j, "key": "Name", "code": "datamodel/invalid", "msg": "the mapping %s has neither a Path nor a Method" % name}
                )
        for log_type in dm.get("logTypes") or []:
            try:
                if log_type not in models:
                    models[log_type] = model
            except TypeError:
                pass
    STATE["data_models"] = models
    timings["dataModels"] = _perf() - t0

    t0 = _perf()
    _preimport(ch, [n for n in init.get("preload") or [] if "m:" + n not in skip], "m:")
    timings["preload"] = _perf() - t0
    return findings, timings


def _preimport(ch, names, prefix):
    """Imports modules once in the zygote so that forked workers share them; failures are
    ignored here (a rule that imports a failing module reports the error itself)."""
    for name in names:
        if not isinstance(name, str) or name in sys.modules:
            continue
        _progress(ch, prefix + name)
        try:
            with _Quiet():
                importlib.import_module(name)
        except BaseException:  # pylint: disable=broad-except
            pass


def _learned_modules():
    """Top-level modules loaded from outside the repository (standard library, site-packages):
    RuleGate remembers them so that the next run can import them while it is still loading YAML."""
    root = STATE.get("root") or ""
    root = os.path.join(os.path.realpath(root), "") if root else None
    out = []
    for name, module in list(sys.modules.items()):
        if "." in name or name.startswith("_") or name.startswith("rulegate") or name == "__main__":
            continue
        file = getattr(module, "__file__", None)
        if not file or name.startswith("panther_core"):
            continue
        if root and os.path.realpath(file).startswith(root):
            continue
        out.append(name)
    return out


# ---------------------------------------------------------------------------------------------
# detections


class Detection:
    __slots__ = ("key", "id", "kind", "path", "module", "matcher", "alert", "suppress", "defined")


def load_detection(job):
    det = Detection()
    det.key = job["k"]
    det.id = job["id"]
    det.kind = job["kind"]
    det.path = job.get("py")
    det.matcher = "policy" if det.kind == "policy" else "rule"
    det.alert = det.kind != "policy"
    det.suppress = job.get("ca") is False
    t0 = _perf()
    if not det.path or not os.path.isfile(det.path):
        return None, {
            "t": "L",
            "k": det.key,
            "ok": False,
            "code": "python/import",
            "type": "FileNotFoundError",
            "msg": "FileNotFoundError: %s" % det.path,
            "file": det.path,
            "line": 1,
        }
    try:
        det.module = _load_module(det.id, det.path)
    except BaseException as exc:  # pylint: disable=broad-except
        info = _import_failure(exc, det.path)
        info.update(t="L", k=det.key)
        return None, info
    if not hasattr(det.module, det.matcher):
        return None, {
            "t": "L",
            "k": det.key,
            "ok": False,
            "code": "python/missing-function",
            "msg": "detection needs to have a method named '%s'" % det.matcher,
            "file": det.path,
            "line": 1,
        }
    det.defined = tuple(name for name in AUX_RUN_ORDER if hasattr(det.module, name))
    return det, {"t": "L", "k": det.key, "ok": True, "ms": round((_perf() - t0) * 1000, 3)}


def _type_error(det, function, result, expected):
    exc = STATE["FunctionReturnTypeError"](
        "detection [{}] function [{}] returned [{}], expected [{}]".format(
            det.id, getattr(function, "__name__", "?"), type(result).__name__, expected
        )
    )
    _where_defined(exc, function)
    return exc


def _given_location(exc):
    try:
        loc = exc.__dict__.get("rulegate_loc")
    except BaseException:  # pylint: disable=broad-except
        return None
    return loc if isinstance(loc, list) and len(loc) == 2 else None


def _where_defined(exc, function):
    """Points a harness-made error at the function's def line (its traceback has no user frame)."""
    try:
        code = getattr(function, "__code__", None)
        file, line = code.co_filename, code.co_firstlineno
        if isinstance(file, str) and type(line) is int:  # pylint: disable=unidiomatic-typecheck
            exc.rulegate_loc = [file, line]
    except BaseException:  # pylint: disable=broad-except
        pass


def _call_str(det, module, name, event):
    function = getattr(module, name)
    result = function(event)
    if not isinstance(result, str):
        raise _type_error(det, function, result, "str")
    return result


def _truncate(text):
    if len(text) > MAX_FIELD:
        return text[: MAX_FIELD - len(TRUNCATED)] + TRUNCATED
    return text


def _run_aux(det, name, event, results):
    """Runs one auxiliary function; results[name] = (value, exception)."""
    module = det.module
    try:
        if name in ("title", "description", "reference", "runbook"):
            value = _truncate(_call_str(det, module, name, event))
        elif name == "severity":
            value = _call_str(det, module, name, event).upper()
            if value not in SEVERITY_TYPES:
                if value != "DEFAULT":
                    exc = AssertionError(
                        "Expected severity to be any of the following: [%s], got [%s] instead."
                        % (str(SEVERITY_TYPES), value)
                    )
                    _where_defined(exc, getattr(module, name))
                    raise exc
                value = None
        elif name == "destinations":
            function = getattr(module, name)
            value = function(event)
            if value is not None:
                if not isinstance(value, list):
                    raise _type_error(det, function, value, "list")
                for element in value:
                    if not isinstance(element, (str, bool)):
                        exc = STATE["FunctionReturnTypeError"](
                            "detection [{}] function [{}] returned a list holding [{}], expected [str]".format(
                                det.id, function.__name__, type(element).__name__
                            )
                        )
                        _where_defined(exc, function)
                        raise exc
                # no --available-destination: every name is unknown, and pat ignores that error
                value = ["SKIP"] if not value else None
        elif name == "dedup":
            value = _call_str(det, module, name, event)
            value = _truncate(value) if value else "defaultDedupString:" + det.id
        else:  # alert_context
            function = getattr(module, name)
            context = function(event)
            if not isinstance(context, Mapping):
                raise _type_error(det, function, context, "Mapping")
            value = json.dumps(context, default=STATE["json_encoder"], allow_nan=False)
            if len(value) > MAX_ALERT_CONTEXT:
                value = json.dumps(
                    {
                        "_error": "alert_context size is [%d] characters, bigger than maximum of [%d] characters"
                        % (len(value), MAX_ALERT_CONTEXT)
                    }
                )
        results[name] = (value, None)
    except BaseException as exc:  # pylint: disable=broad-except
        results[name] = (None, exc)


def _shown(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    try:
        return _SHOW(value)
    except BaseException:  # pylint: disable=broad-except
        return repr(value)


def _harness(det, t, started, message, capture=None):
    msg = {
        "t": "R",
        "k": det.key,
        "i": t.get("i"),
        "p": False,
        "a": None,
        "ms": round((_perf() - started) * 1000, 3),
        "ff": "harness",
        "err": message,
        "fl": [{"f": "harness", "e": message}],
    }
    if capture is not None and capture.size:
        msg["o"] = capture.text()
    return msg


def _kind_words(value):
    if value is None:
        return "empty (null)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a %s" % type(value).__name__


_MISSING = object()

# src/run/pylog.ts: a mapping with non-string keys travels as {TYPED_KEYS: [[key, value], ...]}
TYPED_KEYS = "\x00rulegate:typed-keys"


def _typed_keys(value):
    if isinstance(value, dict):
        if len(value) == 1 and TYPED_KEYS in value:
            out = {}
            for key, item in value[TYPED_KEYS]:
                out[key] = _typed_keys(item)
            return out
        return {key: _typed_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed_keys(item) for item in value]
    return value


def run_test(det, t):
    started = _perf()
    module = det.module
    expected = t.get("x")
    if "e" not in t:
        return _harness(det, t, started, "the test has no %s to run against" % ("Resource" if det.kind == "policy" else "Log"))
    entry = t["e"]
    if t.get("kx"):
        entry = _typed_keys(entry)
    entry_key = t.get("ek") or ("Resource" if det.kind == "policy" else "Log")
    if not isinstance(entry, dict):
        return _harness(det, t, started, "the test's %s is %s, not a mapping of fields" % (entry_key, _kind_words(entry)))

    data_model = None
    if det.kind == "rule":
        log_type = entry.get("p_log_type", "") or ""
        try:
            data_model = STATE["data_models"].get(log_type)
        except TypeError:
            return _harness(det, t, started, "the Log's p_log_type is %s, not a log type name" % _kind_words(log_type))

    mocks = {}
    for pair in t.get("m") or ():
        mocks[pair[0]] = STATE["MagicMock"](return_value=pair[1])
    for name in mocks:
        if not isinstance(name, str) or not hasattr(module, name):
            return _harness(
                det,
                t,
                started,
                "Mocks: objectName %r is not a name defined in %s's Python module (only module-level names can be mocked)"
                % (name, det.id),
            )

    capture = Capture()
    saved = (sys.stdout, sys.stderr)
    originals = []
    try:
        event = entry if det.kind == "policy" else STATE["PantherEvent"](entry, data_model)
        for name, mock in mocks.items():
            originals.append((name, module.__dict__.get(name, _MISSING)))
            setattr(module, name, mock)
        sys.stdout = sys.stderr = capture

        # matcher (InlineFilters were evaluated by RuleGate before: None = none, True/False, or an error text)
        output = None
        error = None
        filt = t.get("f")
        if det.kind == "rule" and filt is not None and filt is not True:
            if filt is False:
                output = False
            else:
                error = filt
        else:
            try:
                function = getattr(module, det.matcher)
                result = function(event)
                if not isinstance(result, bool):
                    raise _type_error(det, function, result, "bool")
                output = result
            except BaseException as exc:  # pylint: disable=broad-except
                error = exc

        aux = {}
        for name in det.defined:
            _run_aux(det, name, event, aux)
        if "dedup" not in aux:
            title = aux.get("title", (None, None))[0]
            aux["dedup"] = (title if title else "defaultDedupString:" + det.id, None)
    except BaseException as exc:  # pylint: disable=broad-except
        sys.stdout, sys.stderr = saved
        return _harness(det, t, started, "the test harness failed: %s" % _exc_text(exc), capture)
    finally:
        sys.stdout, sys.stderr = saved
        for name, original in reversed(originals):
            try:
                if original is _MISSING:
                    delattr(module, name)
                else:
                    setattr(module, name, original)
            except BaseException:  # pylint: disable=broad-except
                pass

    # judgement (pat: a reported result with an exception, or an unmatched matcher, fails the test)
    reported = [(det.matcher, output, error, error is None and output == expected)]
    if expected == det.alert:
        for name in AUX_REPORT_ORDER:
            if det.suppress and name != "alert_context":
                continue
            value, exc = aux.get(name, (None, None))
            if value is None and exc is None:
                continue
            reported.append((name, value, exc, exc is None))
    failed = [r for r in reported if r[2] is not None or not r[3]]
    for name, _, exc, _ in failed:
        if isinstance(exc, MemoryError):
            # the limit, not the rule's logic: a test/error that names the limit
            return _harness(det, t, started, "the test ran out of memory in %s(): it hit %s" % (name, _memory_words()), capture)

    msg = {
        "t": "R",
        "k": det.key,
        "i": t.get("i"),
        "p": not failed,
        "a": output,
        "ms": round((_perf() - started) * 1000, 3),
    }
    if capture.size:
        msg["o"] = capture.text()
    if filt is False and det.kind == "rule":
        msg["fx"] = 1  # InlineFilters rejected the event: rule() was not called
    if failed:
        failures = []
        for name, value, exc, _ in failed:
            entry = {"f": name}
            if exc is not None:
                if isinstance(exc, str):
                    entry["e"] = "InlineFilters error: " + exc
                else:
                    entry["e"] = _exc_text(exc)
                    loc = _location(exc, det.path) or _given_location(exc)
                    if loc:
                        entry["loc"] = loc
                    chain = _user_chain(exc)
                    if chain:
                        entry["tb"] = chain
            else:
                entry["v"] = _shown(value)
            failures.append(entry)
        msg["fl"] = failures
        msg["ff"] = failures[0]["f"]
        first = failures[0]
        msg["err"] = first["e"] if "e" in first else "%s returned %s, expected %s" % (
            first["f"],
            _SHOW(first.get("v")),
            _SHOW(expected),
        )
        functions = []
        for name, value, exc, matched in reported:
            item = {"name": name, "matched": bool(matched)}
            if exc is not None:
                item["error"] = ("InlineFilters error: " + exc) if isinstance(exc, str) else _exc_text(exc)
            else:
                item["value"] = _shown(value)
            functions.append(item)
        msg["fn"] = functions
    return msg


# ---------------------------------------------------------------------------------------------
# main loops


def serve(ch):
    detections = {}
    while True:
        msg = ch.recv()
        if msg is None or msg.get("t") == "exit":
            os._exit(0)
        if msg.get("t") == "mods":
            ch.send({"t": "M", "m": _learned_modules(), "cpu": round(time.process_time() * 1000, 1)})
            continue
        if msg.get("t") != "run":
            continue
        for job in msg["jobs"]:
            det = detections.get(job["k"])
            if det is None:
                det, info = load_detection(job)
                ch.send(info)
                if det is None:
                    continue
                detections[job["k"]] = det
            for test in job["tests"]:
                ch.send(run_test(det, test))


def _watch_parent():
    """Ends this process when its parent goes away (Node killed or the job cancelled while a test
    is stuck in a loop): the kernel's parent-death signal on Linux, else a thread that watches the
    parent PID change. Node never tells Python its PID (rule code must not learn it)."""
    if os.name != "posix":
        return
    parent = os.getppid()
    if _prctl(PR_SET_PDEATHSIG, signal.SIGKILL):
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(0)
        return
    import threading  # pylint: disable=import-outside-toplevel

    getppid, sleep, exit_now = os.getppid, time.sleep, os._exit  # rule code may replace the module attributes

    def watch():
        while True:
            sleep(1.0)
            if getppid() != parent:
                exit_now(0)

    threading.Thread(target=watch, name="rulegate-watch-parent", daemon=True).start()


def _child(addr, token):
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    # its own session and process group: os.kill(0, ...) or os.killpg(0, ...) in rule code reaches
    # this worker (and what it forked) only, never a sibling worker or the zygote
    try:
        os.setsid()
    except OSError:
        pass
    _devnull_fds(1, 2)
    _watch_parent()
    ch = Channel(addr)
    ch.send({"t": "hello", "role": "worker", "pid": os.getpid(), "token": token})
    serve(ch)


def main():
    boot = json.loads(sys.stdin.readline())
    addr, token = boot["addr"], boot["token"]
    box = boot.get("sandbox") or {}
    if box.get("level") == "namespaces":
        # first thing, before anything of the repository is imported: read-only mounts, a private
        # temp folder, no capabilities (see rulegate_sandbox.py)
        _own_module("rulegate_sandbox").enter(box["root"], box["cache"], box["tmp"])
    STATE["pycache"] = boot.get("pycache")
    if STATE["pycache"]:
        STATE["cache_key"] = _own_module("rulegate_sandbox").cache_key
    limits = boot.get("limits") or {}
    STATE["mem"] = limits.get("mem")
    STATE["net_off"] = bool(boot.get("netOff"))
    _devnull_fds(0, 1)
    _watch_parent()
    # orphans of rule code (a double fork, a daemon) become this process's children, not init's,
    # so that nothing they start escapes the end of the run (Node ends every descendant)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    _set_limits(limits)
    ch = Channel(addr)
    _close_inherited({ch.sock.fileno(), ch.rfile.fileno()})
    can_fork = hasattr(os, "fork") and not boot.get("nofork")
    ch.send(
        {
            "t": "hello",
            "role": "zygote",
            "pid": os.getpid(),
            "token": token,
            "exe": sys.executable,
            "ver": platform.python_version(),
            "fork": can_fork,
        }
    )
    t0 = _perf()
    with _Quiet():
        from unittest.mock import MagicMock  # pylint: disable=import-outside-toplevel

        core = _load_core()
        _choose_core(core)
    STATE["MagicMock"] = MagicMock
    base = _perf() - t0
    # from here on repository and third-party code runs: nothing it writes reaches Node's stderr
    _devnull_fds(2)

    pre = 0.0
    if boot.get("pre"):
        t1 = _perf()
        _preimport(ch, boot["pre"], "pre:")
        pre = _perf() - t1
        ch.send({"t": "idle"})
    init = ch.recv()
    if init is None:
        os._exit(0)
    STATE["root"] = init.get("root")
    findings, timings = setup(ch, init, core)
    timings["pre"] = pre
    timings["base"] = base
    ch.send(
        {
            "t": "ready",
            "event": STATE["event_mode"],
            "findings": findings,
            "ms": {k: round(v * 1000, 1) for k, v in timings.items()},
        }
    )

    if can_fork:
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while True:
        msg = ch.recv()
        if msg is None or msg.get("t") == "exit":
            os._exit(0)
        kind = msg.get("t")
        if kind == "serve":
            serve(ch)
        elif kind == "fork" and can_fork:
            for _ in range(int(msg.get("n", 1))):
                pid = os.fork()
                if pid == 0:
                    try:
                        ch.close()
                        _child(addr, token)
                    except BaseException:  # pylint: disable=broad-except
                        pass
                    os._exit(0)


if __name__ == "__main__":
    main()
